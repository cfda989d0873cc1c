"""Bring every language's catalogue up to date with the messages in the code: python tools/update_catalogues.py

New messages arrive untranslated (the catalogue test then names them); messages the code no longer uses go."""

from __future__ import annotations

from qmskit.catalogues import extract, merge, problems, translated_languages, write

if __name__ == "__main__":
    template = extract()
    for code in translated_languages():
        path = write(code, merge(code, template))
        missing = problems(template, code)
        print(f"wrote {path}: {len(template)} messages, {len(missing)} to translate")
        for problem in missing:
            print(f"  {problem}")

// Fillable forms on the published manual (qmskit). Nothing leaves the browser: answers are checked here with
// the same JSON Schema `qms validate` uses, and become a record file to download, or a link that opens the
// forge's web editor with that file filled in. Every value is set as text (textContent, value, href of a URL
// built with encodeURIComponent): nothing a person types is ever parsed as HTML.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // --- checking values against the (small) JSON Schema subset forms compile to ---------------------------

  function isDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    var d = new Date(text + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
  }

  function isDateTime(text) {
    var m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
    return !!m && isDate(m[1]) && +m[2] < 24 && +m[3] < 60 && +m[4] < 60;
  }

  function typeOk(type, value) {
    if (type === "string") return typeof value === "string";
    if (type === "integer") return typeof value === "number" && Number.isInteger(value);
    if (type === "number") return typeof value === "number" && isFinite(value);
    if (type === "boolean") return typeof value === "boolean";
    if (type === "array") return Array.isArray(value);
    return true;
  }

  // The problems of one value against one field's schema, in words a person understands.
  function problems(schema, value, texts) {
    var found = [];
    if (schema.type && !typeOk(schema.type, value)) {
      found.push(schema.type === "integer" ? texts.fill_whole : schema.type === "number" ? texts.fill_number
                 : texts.fill_invalid);
      return found;
    }
    if (schema.enum && schema.enum.indexOf(value) < 0) found.push(texts.fill_choose);
    if (typeof value === "number") {
      if (schema.minimum !== undefined && value < schema.minimum) found.push(texts.fill_min + " " + schema.minimum);
      if (schema.maximum !== undefined && value > schema.maximum) found.push(texts.fill_max + " " + schema.maximum);
    }
    if (typeof value === "string") {
      if (schema.minLength && value.length < schema.minLength) found.push(texts.fill_required);
      if (schema.format === "date" && !isDate(value)) found.push(texts.fill_date);
      if (schema.format === "date-time" && !isDateTime(value)) found.push(texts.fill_date);
      if (schema.pattern) {
        var re = null;
        try { re = new RegExp(schema.pattern, "u"); } catch (e) { re = null; }  // checked again by qms
        if (re && !re.test(value)) found.push(schema.description || texts.fill_pattern);
      }
    }
    if (Array.isArray(value)) {
      value.forEach(function (item) {
        if (schema.items && schema.items.enum && schema.items.enum.indexOf(item) < 0) found.push(texts.fill_choose);
      });
    }
    return found;
  }

  // Fields required by the schema: always, or when another field has (a given) value.
  function requiredFields(schema, values) {
    var required = (schema.required || []).slice();
    (schema.allOf || []).forEach(function (rule) {
      var cond = rule["if"] || {}, then = rule.then || {};
      var holds = (cond.required || []).every(function (name) { return values[name] !== undefined; });
      Object.keys(cond.properties || {}).forEach(function (name) {
        if (JSON.stringify(values[name]) !== JSON.stringify(cond.properties[name]["const"])) holds = false;
      });
      if (holds) required = required.concat(then.required || []);
    });
    return required;
  }

  // --- reading the page -------------------------------------------------------------------------------------

  function readValue(container, type) {
    if (type === "multichoice") {
      var ticked = [];
      container.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (box.checked) ticked.push(box.value);
      });
      return ticked.length ? ticked : undefined;
    }
    var control = container.querySelector("input, select, textarea");
    var raw = control ? control.value.trim() : "";
    if (raw === "") return undefined;
    if (type === "integer" || type === "scale" || type === "number") {
      var number = Number(raw.replace(",", "."));
      return isNaN(number) ? raw : number;
    }
    if (type === "boolean") return raw === "true";
    if (type === "datetime") return withZone(raw);
    return raw;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // datetime-local gives "2026-03-02T10:15": add the seconds and this computer's time zone, as qms does
  function withZone(local) {
    var when = new Date(local);
    if (isNaN(when.getTime())) return local;
    return isoWithZone(when);
  }

  function isoWithZone(when) {
    var offset = -when.getTimezoneOffset(), sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate()) + "T" +
      pad(when.getHours()) + ":" + pad(when.getMinutes()) + ":" + pad(when.getSeconds()) +
      sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  function shown(container, values) {
    var other = container.getAttribute("data-when-field");
    if (!other) return true;
    var equals = container.getAttribute("data-when-equals");
    if (equals) return JSON.stringify(values[other]) === JSON.stringify(JSON.parse(equals));
    return values[other] !== undefined;
  }

  // --- the record file ---------------------------------------------------------------------------------------

  // YAML 1.2 is a superset of JSON: every scalar is written as JSON, so no value can change the file's shape.
  function yaml(record) {
    var lines = [];
    Object.keys(record).forEach(function (key) {
      var value = record[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        lines.push(key + ":");
        Object.keys(value).forEach(function (inner) {
          lines.push("  " + JSON.stringify(inner) + ": " + JSON.stringify(value[inner]));
        });
      } else if (Array.isArray(value)) {
        lines.push(key + ":");
        value.forEach(function (item) { lines.push("  - " + JSON.stringify(item)); });
      } else {
        lines.push(key + ": " + JSON.stringify(value));
      }
    });
    return lines.join("\n") + "\n";
  }

  function randomHex(bytes) {
    var data = new Uint8Array(bytes);
    (window.crypto || window.msCrypto).getRandomValues(data);
    return Array.prototype.map.call(data, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function proposeUrl(forge, path, text) {
    var base = forge.url + (forge.kind === "gitlab" ? "/-/new/" : "/new/") + encodeURIComponent(forge.branch);
    var query = forge.kind === "gitlab"
      ? "?file_name=" + encodeURIComponent(path) + "&content=" + encodeURIComponent(text)
      : "?filename=" + encodeURIComponent(path) + "&value=" + encodeURIComponent(text);
    return base + query;
  }

  onReady(function () {
    var form = document.getElementById("qms-fill");
    var data = document.getElementById("qms-fill-config");
    if (!form || !data) return;
    var config = JSON.parse(data.textContent);
    var texts = config.texts;
    var containers = Array.prototype.slice.call(form.querySelectorAll(".qms-field[data-type]"));

    function collect() {
      var values = {};
      containers.forEach(function (c) {
        var value = readValue(c, c.getAttribute("data-type"));
        if (value !== undefined) values[c.getAttribute("data-field")] = value;
      });
      containers.forEach(function (c) {  // a conditional field that does not apply is hidden and not kept
        var applies = shown(c, values);
        c.hidden = !applies;
        if (!applies) delete values[c.getAttribute("data-field")];
      });
      return values;
    }

    function say(field, messages) {
      var error = document.getElementById("qms-e-" + field);
      var control = document.getElementById("qms-f-" + field);
      if (error) error.textContent = messages.join(" ");
      if (control) {
        if (messages.length) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }

    form.addEventListener("change", collect);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = collect(), bad = [];
      var required = requiredFields(config.schema, values);
      containers.forEach(function (c) {
        var field = c.getAttribute("data-field"), messages = [];
        if (!c.hidden) {
          if (values[field] === undefined) {
            if (required.indexOf(field) >= 0) messages.push(texts.fill_required);
          } else {
            messages = problems(config.schema.properties[field] || {}, values[field], texts);
          }
        }
        say(field, messages);
        if (messages.length) bad.push(field);
      });
      var by = form.querySelector("#qms-f-created_by").value;
      var byOk = config.people.indexOf(by) >= 0;
      say("created_by", byOk ? [] : [texts.fill_required]);
      if (!byOk) bad.push("created_by");
      var result = document.getElementById("qms-fill-result");
      if (bad.length) {
        result.hidden = true;
        var first = document.getElementById("qms-f-" + bad[0]);
        if (first && first.focus) first.focus();
        return;
      }
      var now = new Date(), token = randomHex(4);
      var stamp = isoWithZone(now);
      var record = {
        id: config.prefix + "-" + now.getFullYear() + "-NEW-" + token,
        form: config.form, form_revision: config.revision, created_at: stamp, created_by: by
      };
      if (config.first_state) {
        record.status = config.first_state;
      }
      var text = config.modeline + "\n" + yaml(record);
      if (config.first_state) {
        text += "history:\n  - {\"state\": " + JSON.stringify(config.first_state) + ", \"at\": " +
          JSON.stringify(stamp) + ", \"by\": " + JSON.stringify(by) + "}\n";
      }
      text += yaml({values: values, source: {kind: "site-form", id: token + randomHex(4)}});
      var name = config.form + "-NEW-" + token + ".yaml";
      var download = document.getElementById("qms-fill-download");
      download.href = URL.createObjectURL(new Blob([text], {type: "application/yaml"}));
      download.setAttribute("download", name);
      document.getElementById("qms-fill-preview").textContent = text;
      document.getElementById("qms-fill-summary").textContent = texts.fill_ready;
      var propose = document.getElementById("qms-fill-propose");
      if (config.forge) {
        var url = proposeUrl(config.forge, "records/" + config.form + "/" + record.id + ".yaml", text);
        propose.hidden = url.length > 8000;  // forges refuse longer addresses: download instead
        propose.href = url;
      }
      result.hidden = false;
      download.focus();
    });
  });
}());

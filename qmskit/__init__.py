"""qmskit: a Git-backed, docs-as-code quality management system for ISO 9001:2015."""

__version__ = "0.1.0"

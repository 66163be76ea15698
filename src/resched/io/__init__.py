"""Files in and out: spreadsheet, CSV and PDF readers and writers, and the checks an uploaded
file passes before anything reads it. Below services, beside db: it knows core, never the
database or the web."""

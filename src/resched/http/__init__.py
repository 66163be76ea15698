"""What the API and the web pages share at the HTTP edge: who is asking (authentication and
the per-route permission dependencies), CSRF, cookies, security headers and transport
middleware. Sits between services and the api/web adapters (see the import-linter layers)."""

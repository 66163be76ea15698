// Starts Swagger UI on /api/docs. A file rather than an inline script, so the page keeps the
// strict Content-Security-Policy of every page (script-src 'self'). The page names the OpenAPI
// document in data-openapi-url (it depends on the root path the app is served under).
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    // No calls to validator.swagger.io: the schema stays on this site.
    validatorUrl: null,
  });
});

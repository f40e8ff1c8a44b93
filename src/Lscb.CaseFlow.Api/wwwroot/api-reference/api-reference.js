// Swagger UI over this service's own OpenAPI description (anonymous, like this page). A file rather than an inline
// script, so that the Content-Security-Policy needs no 'unsafe-inline'. No validator badge: it would call a third party.
window.addEventListener('DOMContentLoaded', () => {
  window.SwaggerUIBundle({
    url: '../openapi/v1.json',
    dom_id: '#swagger-ui',
    validatorUrl: null,
    deepLinking: true,
    persistAuthorization: false,
  });
});

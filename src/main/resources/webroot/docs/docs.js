// Renders this instance's OpenAPI document (/api/v1/openapi.json) with the Swagger UI bundled in the jar.
window.addEventListener('DOMContentLoaded', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: false
  });
});

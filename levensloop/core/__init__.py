"""Start page, dashboard, health check, language and region switching, static pages."""

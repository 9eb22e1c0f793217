// Swagger UI's page template has no language on <html>; the portal's pages are en-GB.
document.documentElement.lang = "en-GB";

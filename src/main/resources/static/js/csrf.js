// Every request htmx sends carries the page's CSRF token, as every form does.
const header = document.querySelector('meta[name="csrf-header"]')?.content;
const token = document.querySelector('meta[name="csrf-token"]')?.content;
if (header && token) {
  document.body.addEventListener('htmx:configRequest', (event) => {
    event.detail.headers[header] = token;
  });
}

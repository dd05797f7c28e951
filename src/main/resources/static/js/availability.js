// Keeps the availability column of an event page current: the availability stream, or
// polling when no stream answers.
const table = document.getElementById('availability');
const eventId = table.dataset.event;

function show(document) {
  for (const category of document.categories) {
    const cell = table.querySelector(`[data-available="${CSS.escape(category.code)}"]`);
    if (cell) {
      cell.textContent = String(category.available);
    }
  }
}

const stream = new EventSource(`/api/v1/events/${eventId}/availability/stream`);
stream.addEventListener('availability', (message) => show(JSON.parse(message.data)));
stream.addEventListener('error', () => {
  if (stream.readyState === EventSource.CLOSED) {
    setInterval(async () => {
      const response = await fetch(`/api/v1/events/${eventId}/availability`);
      if (response.ok) {
        show(await response.json());
      }
    }, 3000);
  }
});

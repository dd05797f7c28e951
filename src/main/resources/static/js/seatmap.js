// The seat map of an event: an SVG of every seat, operable by pointer and keyboard, whose
// seats change as others hold and buy them (the seats stream, or polling when no stream
// answers). Picked seats become the hold form's `seats` fields.
const SIZE = 14;
const GAP = 3;
const LEFT = 40;
const svg = document.getElementById('seatmap');
const eventId = svg.dataset.event;
const pickedText = document.getElementById('picked');
const inputs = document.getElementById('picked-inputs');
const holdButton = document.getElementById('hold-seats');
const NAMES = { AVAILABLE: 'available', HELD: 'held by someone', SOLD: 'sold' };

const seats = new Map(); // label -> {label, row, col, status, el}
const grid = []; // grid[row] = seats of the row in order
const picked = new Set();
let focused = null;

const started = performance.now();

function split(label) {
  const dash = label.lastIndexOf('-');
  return [label.slice(0, dash), Number(label.slice(dash + 1))];
}

function classes(seat) {
  return 'seat ' + (picked.has(seat.label) ? 'picked' : seat.status.toLowerCase());
}

function ariaLabel(seat) {
  return 'Seat ' + seat.label + ', ' + (picked.has(seat.label) ? 'picked by you' : NAMES[seat.status]);
}

function render(list) {
  const rows = new Map();
  let minNumber = Infinity;
  let maxNumber = 0;
  for (const s of list) {
    const [row, number] = split(s.label);
    if (!rows.has(row)) {
      rows.set(row, rows.size);
      grid.push([]);
    }
    minNumber = Math.min(minNumber, number);
    maxNumber = Math.max(maxNumber, number);
    const seat = { label: s.label, row: rows.get(row), number, status: s.status, el: null };
    seats.set(s.label, seat);
    grid[seat.row].push(seat);
  }
  const width = LEFT + (maxNumber - minNumber + 1) * (SIZE + GAP);
  const height = rows.size * (SIZE + GAP);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  const parts = [];
  for (const [row, index] of rows) {
    parts.push(`<text class="row-label" x="2" y="${index * (SIZE + GAP) + SIZE - 3}" aria-hidden="true">${escape(row)}</text>`);
  }
  for (const seat of seats.values()) {
    const x = LEFT + (seat.number - minNumber) * (SIZE + GAP);
    const y = seat.row * (SIZE + GAP);
    parts.push(`<rect class="${classes(seat)}" x="${x}" y="${y}" width="${SIZE}" height="${SIZE}" rx="2" `
      + `data-label="${escape(seat.label)}" role="checkbox" aria-checked="false" tabindex="-1" `
      + `aria-label="${escape(ariaLabel(seat))}"></rect>`);
  }
  svg.insertAdjacentHTML('beforeend', parts.join(''));
  // the rects are in the order of the seats they were drawn from
  const drawn = svg.querySelectorAll('rect[data-label]');
  let n = 0;
  for (const seat of seats.values()) {
    seat.el = drawn[n++];
  }
  const first = list.find((s) => s.status === 'AVAILABLE') ?? list[0];
  if (first) {
    focusable(seats.get(first.label));
  }
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function focusable(seat) {
  if (focused) {
    focused.el.setAttribute('tabindex', '-1');
  }
  focused = seat;
  seat.el.setAttribute('tabindex', '0');
}

function paint(seat) {
  seat.el.setAttribute('class', classes(seat));
  seat.el.setAttribute('aria-checked', picked.has(seat.label) ? 'true' : 'false');
  seat.el.setAttribute('aria-label', ariaLabel(seat));
}

function toggle(seat) {
  if (picked.has(seat.label)) {
    picked.delete(seat.label);
  } else if (seat.status === 'AVAILABLE') {
    picked.add(seat.label);
  } else {
    announce('Seat ' + seat.label + ' is ' + NAMES[seat.status] + '.');
    return;
  }
  paint(seat);
  summary();
}

function summary(extra) {
  inputs.replaceChildren(...[...picked].map((label) => {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'seats';
    input.value = label;
    return input;
  }));
  const text = picked.size === 0 ? 'No seats picked.'
    : 'Picked ' + picked.size + (picked.size === 1 ? ' seat: ' : ' seats: ') + [...picked].join(', ') + '.';
  announce(extra ? extra + ' ' + text : text);
  holdButton.toggleAttribute('aria-disabled', picked.size === 0);
}

function announce(text) {
  pickedText.textContent = text;
}

svg.addEventListener('click', (event) => {
  const label = event.target.dataset?.label;
  if (label) {
    const seat = seats.get(label);
    focusable(seat);
    toggle(seat);
  }
});

svg.addEventListener('keydown', (event) => {
  if (!focused) {
    return;
  }
  let next = null;
  const row = grid[focused.row];
  const index = row.indexOf(focused);
  switch (event.key) {
    case 'ArrowRight': next = row[index + 1]; break;
    case 'ArrowLeft': next = row[index - 1]; break;
    case 'ArrowDown': next = nearest(grid[focused.row + 1]); break;
    case 'ArrowUp': next = nearest(grid[focused.row - 1]); break;
    case 'Home': next = row[0]; break;
    case 'End': next = row[row.length - 1]; break;
    case ' ':
    case 'Enter':
      event.preventDefault();
      toggle(focused);
      return;
    default: return;
  }
  event.preventDefault();
  if (next) {
    focusable(next);
    next.el.focus();
  }
});

function nearest(row) {
  if (!row) {
    return null;
  }
  return row.reduce((best, seat) => (Math.abs(seat.number - focused.number) < Math.abs(best.number - focused.number) ? seat : best));
}

document.getElementById('seat-form').addEventListener('submit', (event) => {
  if (picked.size === 0) {
    event.preventDefault();
    announce('Pick at least one seat first.');
  }
});

// Changes from others: a burst is applied in one animation frame.
let pending = [];
function apply(changes) {
  pending.push(...changes);
  if (pending.length === changes.length) {
    requestAnimationFrame(flush);
  }
}

function flush() {
  const lost = [];
  for (const change of pending) {
    const seat = seats.get(change.label);
    if (!seat || seat.status === change.status) {
      continue;
    }
    seat.status = change.status;
    if (picked.has(seat.label) && change.status !== 'AVAILABLE') {
      picked.delete(seat.label);
      lost.push(seat.label);
    }
    paint(seat);
  }
  pending = [];
  if (lost.length > 0) {
    summary((lost.length === 1 ? 'Seat ' + lost[0] + ' was' : 'Seats ' + lost.join(', ') + ' were')
      + ' just taken by someone else.');
  }
  svg.dataset.applied = String(Number(svg.dataset.applied ?? 0) + 1);
}

function follow() {
  const stream = new EventSource(`/api/v1/events/${eventId}/seats/stream`);
  stream.addEventListener('seats', (message) => apply(JSON.parse(message.data).seats));
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CLOSED) {
      poll();
    }
  });
}

// When the stream cannot be had, the seats are read again every two seconds.
function poll() {
  setInterval(async () => {
    const response = await fetch(`/api/v1/events/${eventId}/seats`, { headers: { Accept: 'application/json' } });
    if (response.ok) {
      apply((await response.json()).seats);
    }
  }, 2000);
}

const response = await fetch(`/api/v1/events/${eventId}/seats`, { headers: { Accept: 'application/json' } });
const list = (await response.json()).seats;
const fetched = performance.now();
render(list);
summary();
svg.dataset.ready = 'true';
// what the seat map measurement reads (bench/seatmap.sh): drawn and wired since navigation;
// then, once the first frame with every seat is painted and the page answers input again,
// since navigation and since this module started
window.seatmap = {
  apply,
  seats: seats.size,
  fetchMs: fetched - started,
  drawMs: performance.now() - fetched,
  readyAt: performance.now(),
  interactiveAt: null,
  interactiveMs: null,
};
// The stream opens once the map is on screen: its first message lists every seat again, and
// reading it must not hold up the first paint.
requestAnimationFrame(() => setTimeout(() => {
  window.seatmap.interactiveAt = performance.now();
  window.seatmap.interactiveMs = performance.now() - started;
  follow();
}));

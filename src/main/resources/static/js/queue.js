// The queue page: the buyer's place as it changes (the page's stream of places), in the
// words the server uses; when the buyer is let in, on to the event's page to buy.
const section = document.getElementById('place');
const eventId = section.dataset.event;
const status = document.getElementById('queue-status');
const ahead = document.getElementById('queue-ahead');
const waiting = document.getElementById('queue-wait');
const leave = document.getElementById('leave-queue');

const FINAL = {
  DONE: 'Your turn ended with your booking.',
  LEFT: 'You left the queue.',
  EXPIRED: 'Your turn ran out.',
  CLOSED: 'Sold out: nothing is left to sell.',
};

function say(element, text) {
  element.textContent = text;
  element.hidden = text === '';
}

function aheadOf(count) {
  if (count === 0) {
    return 'Nobody is ahead of you.';
  }
  return count === 1 ? '1 person is ahead of you.' : `${count} people are ahead of you.`;
}

function wait(seconds) {
  if (seconds === null || seconds === undefined) {
    return '';
  }
  if (seconds < 60) {
    return 'Expected wait: less than a minute.';
  }
  const minutes = Math.round(seconds / 60);
  return `Expected wait: about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

function show(place) {
  section.dataset.status = place.status;
  if (place.status === 'ADMITTED') {
    say(status, "It's your turn: taking you to the event's page.");
    say(ahead, '');
    say(waiting, '');
    stream.close();
    window.location.assign(`/events/${eventId}`);
    return;
  }
  if (place.status === 'WAITING') {
    if (place.position === null) {
      say(status, "You are in the queue: you'll get a place when sales open.");
      say(ahead, '');
      say(waiting, '');
    } else {
      say(status, `You are number ${place.position} in the queue.`);
      say(ahead, aheadOf(place.position - 1));
      say(waiting, wait(place.estimatedWaitSeconds));
    }
    return;
  }
  say(status, FINAL[place.status] ?? '');
  say(ahead, '');
  say(waiting, '');
  if (leave) {
    leave.hidden = true;
  }
  stream.close();
}

if (section.dataset.status === 'ADMITTED') {
  window.location.assign(`/events/${eventId}`);
}
const stream = new EventSource(`/events/${eventId}/queue/stream`);
stream.addEventListener('queue', (message) => show(JSON.parse(message.data)));
stream.addEventListener('error', () => {
  // the browser reconnects by itself; a stream it gave up on is replaced by reloading
  if (stream.readyState === EventSource.CLOSED) {
    setTimeout(() => window.location.reload(), 5000);
  }
});

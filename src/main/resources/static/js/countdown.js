// The cart's countdown to its hold's expiry; at zero the confirm button goes and the page
// says the tickets were released (the service releases them at that instant too).
const countdown = document.getElementById('countdown');
const expiresAt = Date.parse(countdown.dataset.expiresAt);
const confirm = document.getElementById('confirm');
const expired = document.getElementById('expired');

function tick() {
  const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
  if (left === 0) {
    countdown.hidden = true;
    expired.hidden = false;
    confirm.disabled = true;
    clearInterval(timer);
    return;
  }
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, '0');
  countdown.textContent = `These tickets are yours for ${minutes}:${seconds} more.`;
  countdown.setAttribute('aria-label', `${minutes} minutes ${seconds} seconds left`);
}

const timer = setInterval(tick, 1000);
tick();

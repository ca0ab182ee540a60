// The chat page's script: joins the room over a WebSocket (one text message per line of the room's
// protocol), shows every line as text (never as HTML: a message is data, not markup), keeps the
// list of who is here from the room's notices, and reconnects with capped backoff when the server goes.
const $ = (selector) => document.querySelector(selector);
const members = new Set();
let socket;
let nick;
let attempt = 0;
let joined = false; // in the room at least once since the join button

function show(text, kind = '') {
  const line = document.createElement('li');
  line.textContent = text; // textContent, never innerHTML: "<script>" shows as those characters
  line.className = kind;
  $('#log').append(line);
  $('#log').scrollTop = $('#log').scrollHeight;
}

function showMembers() {
  $('#members').replaceChildren(
    ...[...members].sort().map((name) => Object.assign(document.createElement('li'), { textContent: name })),
  );
}

// The room's notices say who is here: "welcome N! here: a, b", "* b joined", "* b left", "* b was dropped …".
function follow(text) {
  const welcome = /^welcome (\S+)! (?:here: (.*)|nobody else is here yet)$/.exec(text);
  const notice = /^\* (\S+) (joined|left|was dropped)/.exec(text);
  if (welcome) {
    members.clear();
    for (const name of [welcome[1], ...(welcome[2] ? welcome[2].split(', ') : [])]) members.add(name);
  } else if (notice) {
    if (notice[2] === 'joined') members.add(notice[1]);
    else members.delete(notice[1]);
  }
  showMembers();
}

function connect() {
  $('#status').textContent = 'connecting…';
  socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/chat`);
  socket.addEventListener('open', () => socket.send(nick)); // the room's first line is the nickname
  socket.addEventListener('message', ({ data }) => {
    if (data.startsWith('welcome ')) {
      attempt = 0;
      joined = true;
      $('#status').textContent = `connected as ${nick}`;
      $('#say').hidden = false;
      $('#join').hidden = true;
    }
    // Refused the first time (a taken name, say): do not retry. Coming back after a lost connection, the name may
    // still be held for a moment by the server that went away, so keep trying.
    if (data.startsWith('error: ') && !joined) nick = undefined;
    show(data, data.startsWith('error: ') ? 'error' : data.startsWith('* ') ? 'notice' : '');
    follow(data);
  });
  socket.addEventListener('close', ({ code, reason }) => {
    members.clear();
    showMembers();
    $('#say').hidden = true;
    if (!nick) {
      $('#join').hidden = false;
      $('#status').textContent = 'not connected';
      return;
    }
    // Wait 1, 2, 4 … up to 30 s (with jitter, so a restarted server is not hit by everyone at once).
    const delay = Math.min(30_000, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2);
    $('#status').textContent =
      `disconnected (${code}${reason ? `: ${reason}` : ''}); retrying in ${Math.round(delay / 1000)} s`;
    setTimeout(connect, delay);
  });
}

$('#join').addEventListener('submit', (event) => {
  event.preventDefault();
  nick = $('#nick').value.trim();
  joined = false;
  connect();
});
$('#say').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('#message').value;
  if (socket?.readyState !== WebSocket.OPEN || text === '') return;
  socket.send(text);
  show(`${nick}: ${text}`, 'mine');
  $('#message').value = '';
});

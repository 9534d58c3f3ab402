// The side panel's browser code. It renders state sent by the extension host and sends user intents
// back; it imports only src/shared. Placeholder until the side panel lands.
const root = document.getElementById('root');
if (root) root.textContent = 'Agent Harness';

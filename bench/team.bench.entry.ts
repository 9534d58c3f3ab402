// The scripted model server and its conversation helpers, for the team benchmark (bundled by loadTs.mjs).
export { startScriptedServer } from '../test/support/scriptedServer/server';
export { conversationResponder, firstUserText, assistantMessages } from '../test/support/scriptedServer/conversations';

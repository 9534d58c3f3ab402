/**
 * Text on its way to a terminal: model text, file contents and command output can carry escape
 * sequences that move the cursor, rewrite lines, set the window title, or fake an approval prompt.
 * Every control sequence (CSI `ESC [`, OSC `ESC ]`, DCS/SOS/PM/APC and their 8-bit forms, any other
 * `ESC x`) and every C0/C1 control character except newline and tab is removed before printing.
 */
 
const SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -/]*[0-~]?/g;
 
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function sanitizeForTerminal(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}

/** Written before every prompt, so no earlier output can leave colours or an invisible mode behind it. */
export const RESET_ATTRIBUTES = '\u001b[0m';

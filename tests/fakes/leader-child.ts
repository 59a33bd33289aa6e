/**
 * The leader test's other replica, a real process to SIGKILL: runs the election on URL's server and
 * prints "leading" once it leads. Usage: URL=postgres://… node --import tsx leader-child.ts <key>
 */
import { electLeader } from '../../src/store/leader.ts';

const [key] = process.argv.slice(2);
const url = process.env.URL;
if (key === undefined || url === undefined) throw new Error('usage: URL=postgres://… leader-child.ts <key>');
electLeader(url, { key: Number(key), retryMs: 200, onLead: () => console.log('leading'), onLose: () => {} });

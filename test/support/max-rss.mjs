// Preloaded into a child process (`node --import`) to learn its peak memory: on exit it writes its
// maximum resident set size, in KiB (getrusage's ru_maxrss), to the file named by MAX_RSS_FILE.
// Written at exit, so it covers the whole run; a process that crashes writes nothing.
import { writeFileSync } from 'node:fs';

const file = process.env.MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));

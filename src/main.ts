// The ES-module entry (bin/msp-license.js answers --version, --help and completion before this).
import { start } from './cli.js';

start();

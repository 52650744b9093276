import { start } from './cli.js';

start();

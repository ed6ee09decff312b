// Bundle entry of server/out/server.js.
import { runLanguageServer } from './main';

runLanguageServer();

// a stale build output on the developer's disk; .dockerignore keeps it out of the context
require('http').createServer((req, res) => res.end('stale')).listen(3000);

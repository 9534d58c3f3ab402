// Stands in, in the bundles, for packages dockerode loads but Agent Harness never uses: gRPC and
// protobuf (BuildKit build sessions) and ssh2 (ssh:// Docker hosts). They are more than 600 KB of
// the extension bundle. Touching a property is fine (the modules read them at load time); calling or
// constructing anything fails with a clear message.
'use strict';
const message =
  'this Docker feature (BuildKit build sessions or an ssh:// DOCKER_HOST) is not included in Agent Harness; use a local Docker socket or a tcp:// host';
function unsupported() {
  throw new Error(message);
}
const handler = {
  get: (_target, prop) => (prop === '__esModule' ? false : prop === 'then' ? undefined : stub),
  apply: unsupported,
  construct: unsupported,
};
const stub = new Proxy(function stub() {}, handler);
module.exports = stub;

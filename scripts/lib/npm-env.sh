# Sourced by the install scripts. Nested `npm install`s must not inherit the outer npm's environment.
#
# Under `npm test` / `npm start`, npm exports npm_config_* (every setting it resolved, including
# npm_config_user_agent "npm/11 node/v20 ...", npm_config_nodedir, npm_config_prefix,
# npm_config_local_prefix, npm_config_global_prefix, npm_config_yes) and npm_package_* / npm_lifecycle_*
# / npm_execpath / npm_node_execpath. A nested npm treats those as its own configuration: code-server's
# postinstall reads the Node major version from npm_config_user_agent (so it refused to install with
# Node 24 first on PATH), npm_config_nodedir points node-gyp at the outer Node's headers, and
# npm_config_local_prefix / prefix can redirect where the install lands.
#
# npm_clean runs a command with all of those removed, keeping exactly one: npm_config_cache, the
# download cache. It only decides where tarballs are cached, never what is installed, so keeping it
# lets a fresh install location reuse downloads. Each caller then sets exactly what its install needs.
npm_clean() {
  local keep_cache="${npm_config_cache:-${NPM_CONFIG_CACHE:-}}"
  local unset_args=() name
  for name in $(compgen -e); do
    case "$name" in
      npm_*|NPM_*) unset_args+=(-u "$name") ;;
    esac
  done
  if [ -n "$keep_cache" ]; then
    env "${unset_args[@]}" npm_config_cache="$keep_cache" "$@"
  else
    env "${unset_args[@]}" "$@"
  fi
}

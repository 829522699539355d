#!/usr/bin/env bash
# Sets up what auth0mcp's tests run for real, on a fresh Debian machine:
#   - Debian packages (as root, with apt-get): libsecret for the Auth0 MCP
#     server's keychain addon, and a private D-Bus + gnome-keyring for the
#     keychain tests;
#   - npm packages, pinned in testdata/npm, into .cache/npm (git-ignored).
# What cannot be set up is said plainly; the tests that need it then skip
# with a message naming it. The script never fails the build by itself.
set -u
cd "$(dirname "$0")/.."

status=.cache/test-deps.txt
mkdir -p .cache
: > "$status"
say() { printf 'test-deps: %s\n' "$*"; printf '%s\n' "$*" >> "$status"; }

debs=(libsecret-1-0 libsecret-tools dbus dbus-daemon gnome-keyring)
missing=()
for p in "${debs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	say "Debian packages present: ${debs[*]}"
fi
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		say "installing Debian packages: ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
			apt-get update -q >/dev/null 2>&1
			apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
				say "COULD NOT INSTALL Debian packages: ${missing[*]} (keychain and real-server tests will skip)"
		fi
	else
		say "COULD NOT INSTALL Debian packages ${missing[*]}: not root or no apt-get; install them yourself (sudo apt-get install ${missing[*]}); keychain and real-server tests will skip"
	fi
fi

if command -v npm >/dev/null && command -v node >/dev/null; then
	dest=.cache/npm
	if ! cmp -s testdata/npm/package-lock.json "$dest/package-lock.json" || [ ! -d "$dest/node_modules" ]; then
		say "installing npm packages pinned in testdata/npm into $dest"
		rm -rf "$dest"
		mkdir -p "$dest"
		cp testdata/npm/package.json testdata/npm/package-lock.json "$dest/"
		if ! (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-error.log); then
			say "COULD NOT INSTALL npm packages (see $dest/npm-error.log); tests against real MCP servers will skip"
			rm -f "$dest/package-lock.json"
		fi
	fi
else
	say "COULD NOT INSTALL npm packages: node and npm are not on PATH (apt-get install nodejs npm); tests against real MCP servers will skip"
fi
say "node: $(node --version 2>/dev/null || echo missing); now running every test (about a minute)"
exit 0

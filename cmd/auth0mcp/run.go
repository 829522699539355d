package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/auth0mcp/auth0mcp/internal/exitcode"
	"github.com/auth0mcp/auth0mcp/internal/guipath"
	"github.com/auth0mcp/auth0mcp/token"
)

type runOptions struct {
	src   sourceFlags
	vault vaultFlags
}

func newRun(a *app) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [flags] [--] CMD [ARG...]",
		Short: "Start an MCP server with a freshly fetched Auth0 token in its environment",
		Long: `run is the launcher a client config points to. It fetches a token through the token
methods (see "auth0mcp token --help"), for the tenant in AUTH0_DOMAIN when that is set,
puts it in the server's environment as AUTH0_TOKEN (and AUTH0_DOMAIN when not set yet),
never in its arguments, and then becomes the server: on Unix it replaces itself with it,
so stdin, stdout and signals are the server's own; on Windows it starts the server with
the same stdin, stdout and stderr and exits with its exit code.

It finds CMD the way a desktop app cannot: on the server's PATH first, then in nvm, volta,
mise, asdf, fnm, Homebrew and /usr/local/bin. When CMD is npx, npm or another
"#!/usr/bin/env node" script, the folder of the node next to it (or the first one found)
goes first on the server's PATH, so the server runs on the Node that belongs to it.

run writes nothing to stdout, which belongs to the MCP protocol. When no token can be
had it writes each method's reason to stderr (the client's server log shows it) and
exits 4.`,
		Example: `  auth0mcp run -- npx -y @auth0/auth0-mcp-server@0.1.0-beta.19 run
  AUTH0_DOMAIN=tenant.eu.auth0.com auth0mcp run -- node /path/to/dist/index.js run`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return launch(cmd, a, o, args)
		},
	}
	// Everything from CMD on belongs to the server, flags included.
	cmd.Flags().SetInterspersed(false)
	o.src.add(cmd, false)
	f := cmd.Flags()
	f.StringArrayVar(&o.vault.secrets, "secret", nil, "put this OS keychain item (account <client>/<server>/<NAME>) into the server's environment as NAME (repeatable)")
	f.BoolVar(&o.vault.noToken, "no-token", false, "do not fetch an Auth0 token: a server that only needs its --secret items")
	f.BoolVar(&o.vault.allowArgv, "allow-argv", false, "replace ${auth0mcp:ACCOUNT} in the server's arguments with that keychain item (visible to other local users)")
	return cmd
}

func launch(cmd *cobra.Command, a *app, o *runOptions, argv []string) error {
	ctx := cmd.Context()
	environ := os.Environ()
	g := guipath.Env{GOOS: runtime.GOOS, Getenv: os.Getenv, Glob: filepath.Glob}

	// Find the program before asking for a token: a missing command
	// should not cost a token request.
	childPath, _ := lookupVar(environ, "PATH")
	prog, newPath, note, err := resolveServer(g, argv[0], childPath)
	if err != nil {
		fmt.Fprintf(a.errw, "auth0mcp run: %v\n", err)
		return exitcode.Silent(exitcode.Failed)
	}
	if note != "" {
		fmt.Fprintf(a.errw, "auth0mcp run: %s\n", note)
	}
	if newPath != childPath {
		environ = setVar(environ, "PATH", newPath)
	}

	// Secrets from the keychain first: AUTH0_CLIENT_SECRET among them
	// lets client credentials fetch the token.
	environ, argv, err = applyVault(ctx, o.vault, environ, argv)
	if err != nil {
		fmt.Fprintf(a.errw, "auth0mcp run: %v\n", err)
		return exitcode.Silent(exitcode.Failed)
	}
	if o.vault.noToken {
		fmt.Fprintf(a.errw, "auth0mcp run: %d secret(s) from the OS keychain; starting %s\n", len(o.vault.secrets), prog)
		return execServer(prog, argv, environ)
	}

	env, tok, err := token.PrepareRun(ctx, o.src.chainFor(environ), environ)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return noToken(a, "run", err)
	}
	domain, _ := lookupVar(env, token.EnvDomain)
	expires := "its expiry is unknown"
	if !tok.ExpiresAt.IsZero() {
		expires = "expires in " + humanDuration(time.Until(tok.ExpiresAt))
	}
	fmt.Fprintf(a.errw, "auth0mcp run: token from %s for %s (%s); starting %s\n",
		tok.Source, domain, expires, prog)

	return execServer(prog, argv, env)
}

// resolveServer finds the program for name with the server's PATH, then
// in the places desktop apps miss. For a program that runs on node through
// "#!/usr/bin/env node" it returns a PATH with that node's folder first.
// note says what the server's own PATH would not have given.
func resolveServer(g guipath.Env, name, path string) (prog, newPath, note string, err error) {
	prog, err = g.Look(name, path)
	if err != nil {
		alts := g.Elsewhere(name, path)
		if len(alts) == 0 {
			shown := path
			if shown == "" {
				shown = "not set"
			}
			return "", "", "", fmt.Errorf("cannot find %q: it is not on the server's PATH (%s) "+
				"nor in nvm, volta, mise, asdf, fnm, Homebrew or /usr/local/bin; put its absolute "+
				"path after \"run --\"", name, shown)
		}
		prog = newest(alts)
		note = fmt.Sprintf("%s is not on the server's PATH; using %s", name, prog)
	}
	newPath = path
	if !guipath.RunsOnNode(prog) {
		return prog, newPath, note, nil
	}

	// The node next to npx is the one it was installed with.
	node, err := g.Look("node", filepath.Dir(prog))
	if err != nil {
		node, err = g.NodeFor(path)
	}
	if err != nil {
		if alts := g.Elsewhere("node", path); len(alts) > 0 {
			node, err = newest(alts), nil
		}
	}
	if err != nil {
		return prog, newPath, joinNote(note, fmt.Sprintf("%s needs node, which was found nowhere; "+
			"install Node.js", filepath.Base(prog))), nil
	}
	dir := filepath.Dir(node)
	dirs := g.Split(path)
	if len(dirs) == 0 || filepath.Clean(dirs[0]) != filepath.Clean(dir) {
		newPath = g.Join(append([]string{dir}, dirs...))
	}
	return prog, newPath, note, nil
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// newest picks from the places Elsewhere found: the newest nvm version
// (Elsewhere lists them oldest first), else the first place.
func newest(paths []string) string {
	pick := paths[0]
	for _, p := range paths {
		if strings.Contains(filepath.ToSlash(p), "/.nvm/versions/node/") {
			pick = p
		}
	}
	return pick
}

// lookupVar returns the last value of name in env.
func lookupVar(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		k, v, ok := strings.Cut(env[i], "=")
		if ok && (k == name || runtime.GOOS == "windows" && strings.EqualFold(k, name)) {
			return v, true
		}
	}
	return "", false
}

// Command auth0mcp diagnoses and repairs the connection between MCP
// clients and the Auth0 MCP server. This package only wires the command
// line to the packages that do the work.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

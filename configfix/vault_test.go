package configfix

import (
	"bytes"
	"strings"
	"testing"
)

func TestVaultPlan(t *testing.T) {
	c := load(t, `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_gUkk2E0sh8nvuiudRl5h5ltyVkqBhTfn0SlP", "LOG": "debug"}
    },
    "render": {
      "command": "npx",
      "args": ["mcp-remote", "https://mcp.render.com/mcp", "--header", "Authorization: Bearer KRO1ezcGH_F6kdzAV8o_azebCEKh6EmwUPg64TIV"]
    },
    "zapier": {"url": "https://mcp.zapier.com/api/mcp/s/YjvF02hHCc89z3-y5rRyxYsGI3ispUQ5d7kFmWl-JcjPVHGJfGvBqXUt76Zdto1x/mcp"}
  }
}`)
	c.Client = Cursor
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Vault: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Stores) != 1 || plan.Stores[0].Account != "cursor/github/GITHUB_PERSONAL_ACCESS_TOKEN" ||
		plan.Stores[0].Value() != "ghp_gUkk2E0sh8nvuiudRl5h5ltyVkqBhTfn0SlP" {
		t.Fatalf("stores = %+v", plan.Stores)
	}
	root, _ := ParseStrict(plan.After)
	gh := root.Get("mcpServers").Get("github")
	var args []string
	for _, e := range gh.Get("args").Elems {
		args = append(args, e.Str)
	}
	want := "run --no-token --secret cursor/github/GITHUB_PERSONAL_ACCESS_TOKEN -- npx -y @modelcontextprotocol/server-github"
	if strings.Join(args, " ") != want || gh.Get("command").Str != testLauncher || gh.Get("env").Get("LOG").Str != "debug" {
		t.Errorf("github entry: %s %q", gh.Get("command").Str, strings.Join(args, " "))
	}
	if bytes.Contains(plan.After, []byte("ghp_gUkk")) {
		t.Errorf("the token is still in the file")
	}
	// The header argument and the remote entry stay, with the reason.
	if len(plan.Left) != 2 || !strings.Contains(plan.Left[0].Why+plan.Left[1].Why, "--allow-argv") {
		t.Errorf("left = %+v", plan.Left)
	}

	// With --allow-argv the header's credential moves too and comes back
	// at start through a placeholder.
	plan, err = c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Vault: true, AllowArgv: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(plan.After, []byte(`"Authorization: Bearer ${auth0mcp:cursor/render/#arg3}"`)) ||
		!bytes.Contains(plan.After, []byte(`"--allow-argv"`)) || bytes.Contains(plan.After, []byte("KRO1ezcGH")) {
		t.Errorf("render entry not rewritten:\n%s", plan.After)
	}
	again := &Config{Client: Cursor, Exists: true}
	again.Parse(plan.After)
	p2, err := again.PlanFix(FixOptions{Launcher: testLauncher, All: true, Vault: true, AllowArgv: true, Now: testNow})
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, plan.After)
	}
	if len(p2.Stores) != 0 || p2.Changed() {
		t.Errorf("second run is not a no-op: stores %v", p2.Stores)
	}
}

func TestNativeStyle(t *testing.T) {
	c := load(t, `{
  // comments survive
  "servers": {
    "slack": {"type": "stdio", "command": "npx", "env": {"SLACK_BOT_TOKEN": "xoxb-003564247165-5938196684636-ej0DpZcyTbFKPrMVaciNB6mu"}},
    "remote": {"type": "http", "url": "https://x/mcp", "headers": {"Authorization": "Bearer Qk3mT9vR2xW7pL5nZ8cF4hJ6sD1gA0yE"}}
  }
}`)
	c.Client = VSCode
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Native: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"SLACK_BOT_TOKEN": "${input:slack-slack-bot-token}"`, `"Authorization": "Bearer ${input:remote-authorization}"`,
		`"id": "slack-slack-bot-token"`, `"password": true`, "// comments survive"} {
		if !bytes.Contains(plan.After, []byte(want)) {
			t.Errorf("missing %s in:\n%s", want, plan.After)
		}
	}
	if len(plan.Notes) != 2 {
		t.Errorf("notes = %v", plan.Notes)
	}
	if _, err := ParseTolerant(plan.After); err != nil {
		t.Errorf("result does not parse: %v", err)
	}
}

func TestVaultAccountsNeverCollide(t *testing.T) {
	c := load(t, `{
  "mcpServers": {
    "github": {"command": "npx", "env": {"GITHUB_TOKEN": "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"}},
    "a/b": {"command": "npx", "env": {"C_TOKEN": "ghp_Zq8WmN3kP5tR7vX9yB2dF4hJ6lQ0sU1wE3gI"}},
    "keyissecret": {"command": "npx", "env": {"ghp_Kk8WmN3kP5tR7vX9yB2dF4hJ6lQ0sU1wE3gI": "x"}}
  },
  "projects": {
    "/home/sam/work": {"mcpServers": {"github": {"command": "npx", "env": {"GITHUB_TOKEN": "ghp_Ww8WmN3kP5tR7vX9yB2dF4hJ6lQ0sU1wE3gI"}}}}
  }
}`)
	c.Client = ClaudeCode
	plan, err := c.PlanFix(FixOptions{Launcher: testLauncher, All: true, Vault: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, st := range plan.Stores {
		if got[st.Account] {
			t.Errorf("account %s used twice", st.Account)
		}
		got[st.Account] = true
		if strings.Contains(st.Account, "Kk8WmN3k") {
			t.Errorf("a secret key became an account: %s", st.Account)
		}
	}
	for _, want := range []string{"claude-code/github/GITHUB_TOKEN", "claude-code/projects/~1home~1sam~1work/github/GITHUB_TOKEN", "claude-code/a~1b/C_TOKEN"} {
		if !got[want] {
			t.Errorf("no store for %s; got %v", want, got)
		}
	}
}

func TestNativeReferencesAreUnique(t *testing.T) {
	c := load(t, `{
  "inputs": [{"type": "promptString", "id": "gh-token", "password": false}],
  "servers": {
    "gh": {"command": "npx", "env": {"TOKEN": "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"}},
    "a.b": {"command": "npx", "env": {"API_KEY": "sk-ant-api03-aaaaBBBBccccDDDDeeeeFFFFggggHHHH"}},
    "a-b": {"command": "npx", "env": {"API_KEY": "sk-ant-api03-iiiiJJJJkkkkLLLLmmmmNNNNooooPPPP"}}
  }
}`)
	c.Client = VSCode
	plan, err := c.PlanFix(FixOptions{All: true, Native: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"${input:gh-token-2}"`, `"${input:a-b-api-key}"`, `"${input:a-b-api-key-2}"`, `"id": "gh-token-2"`, `"id": "a-b-api-key-2"`} {
		if !bytes.Contains(plan.After, []byte(want)) {
			t.Errorf("missing %s:\n%s", want, plan.After)
		}
	}
}

package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// message is one JSON-RPC 2.0 message as read from the server. Absent
// and null members are told apart where it matters: ID is nil when the
// member is missing and "null" when it is null.
type message struct {
	JSONRPC *string         `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   *rpcError       `json:"error"`
}

type rpcError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// Kinds of stdout line.
const (
	kindResponse = iota
	kindRequest
	kindNotification
	kindNotJSONRPC // valid JSON, but not a JSON-RPC message
	kindNotJSON
	kindIncomplete // the start of a JSON value that goes on past this line
)

// classify parses one stdout line. Key order does not matter.
func classify(line []byte) (int, *message) {
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if json.Valid(trimmed) {
			return kindNotJSONRPC, nil
		}
		return kindNotJSON, nil
	}
	var m message
	if err := json.Unmarshal(trimmed, &m); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) && syn.Offset >= int64(len(trimmed)) {
			return kindIncomplete, nil
		}
		if syn != nil {
			return kindNotJSON, nil
		}
		// Valid JSON whose members have the wrong types.
		return kindNotJSONRPC, nil
	}
	hasID := m.ID != nil
	switch {
	case m.Method != "" && hasID:
		return kindRequest, &m
	case m.Method != "":
		return kindNotification, &m
	case hasID || m.Result != nil || m.Error != nil:
		return kindResponse, &m
	}
	return kindNotJSONRPC, nil
}

// idString renders an id for a detail: numbers as they are, strings quoted.
func idString(id json.RawMessage) string {
	if id == nil {
		return "(none)"
	}
	return string(id)
}

// isID reports whether raw is the JSON number n.
func isID(raw json.RawMessage, n int) bool {
	var f json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&f); err != nil {
		return false
	}
	return f.String() == fmt.Sprint(n) || f.String() == fmt.Sprintf("%d.0", n)
}

// intID returns raw as an int when it is a JSON integer.
func intID(raw json.RawMessage) (int, bool) {
	var n int
	if raw == nil || json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	return n, true
}

// request builds a JSON-RPC request line; nil params are left out.
func request(id int, method string, params any) []byte {
	m := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	return line(m)
}

// notification builds a JSON-RPC notification line.
func notification(method string) []byte {
	return line(map[string]any{"jsonrpc": "2.0", "method": method})
}

// reply answers a request from the server: ping and roots/list get a
// result, anything else "method not found".
func reply(m *message) []byte {
	out := map[string]any{"jsonrpc": "2.0", "id": m.ID}
	switch m.Method {
	case "ping":
		out["result"] = struct{}{}
	case "roots/list":
		out["result"] = map[string]any{"roots": []any{}}
	default:
		out["error"] = map[string]any{"code": -32601, "message": "Method not found: " + m.Method}
	}
	return line(out)
}

func line(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own, always encodable values get here
	}
	return append(b, '\n')
}

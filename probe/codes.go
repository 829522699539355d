package probe

// Diagnosis codes. They are stable: scripts and docs refer to them.
const (
	CodeCommandNotFound      = "command-not-found"
	CodeSpawnFailed          = "spawn-failed"
	CodeExitedEarly          = "exited-early"
	CodeAuthFailed           = "auth-failed"
	CodeKeychainUnavailable  = "keychain-unavailable"
	CodeNpxCanceled          = "npx-canceled"
	CodeStdoutNotJSON        = "stdout-not-json"
	CodeMultilineJSON        = "multiline-json"
	CodeBadResponse          = "bad-response"
	CodeRPCError             = "rpc-error"
	CodeProtocolMismatch     = "protocol-mismatch"
	CodeNoResponse           = "no-response"
	CodeLineTooLong          = "line-too-long"
	CodeIgnoresEOF           = "ignores-eof"
	CodeSlowStart            = "slow-start"
	CodeUnsolicitedRequest   = "unsolicited-request"
	CodeEarlyNotification    = "early-notification"
	CodeNoToolsCapability    = "no-tools-capability"
	CodeInterrupted          = "interrupted"
	CodeProcessesLeftRunning = "processes-left-running"
	CodeEscapedProcesses     = "escaped-processes"
	CodeStdinNotRead         = "stdin-not-read"
)

// Severities of a diagnosis. A probe with any "fail" diagnosis is not ok.
const (
	SeverityFail = "fail"
	SeverityWarn = "warn"
	SeverityInfo = "info"
)

// CodeInfo describes one diagnosis code for documentation and listings.
type CodeInfo struct {
	Code     string `json:"code"`
	Severity string `json:"severity"` // the usual severity; some codes vary, see Summary
	Summary  string `json:"summary"`
}

// Codes lists every diagnosis the probe can produce, in the order a
// probe meets them.
var Codes = []CodeInfo{
	{CodeCommandNotFound, SeverityFail,
		"The command is not on the PATH the server gets; the detail shows that PATH and where the command does exist."},
	{CodeSpawnFailed, SeverityFail,
		"The command exists but could not be started (not executable, bad working directory)."},
	{CodeExitedEarly, SeverityFail,
		"The server exited before the handshake was done, or before its stdin was closed; with exit code, signal and the end of its stderr."},
	{CodeAuthFailed, SeverityFail,
		"Beside exited-early: the server's stderr shows an Auth0 credential error (no token, AUTH0_DOMAIN missing, invalid configuration)."},
	{CodeKeychainUnavailable, SeverityFail,
		"The server could not use the OS keychain (libsecret or the keytar addon missing, no D-Bus session); warn when only suspected."},
	{CodeNpxCanceled, SeverityFail,
		"npx refused to install the package because it may not ask (no -y and npm's yes setting is false)."},
	{CodeStdoutNotJSON, SeverityWarn,
		"The server wrote a line to stdout that is not a JSON-RPC message; clients log an error for each one."},
	{CodeMultilineJSON, SeverityFail,
		"The server pretty-printed a message over several lines; desktop clients reject it."},
	{CodeBadResponse, SeverityFail,
		"A response with the wrong id, without \"jsonrpc\": \"2.0\", or without a result or the fields it needs."},
	{CodeRPCError, SeverityFail,
		"The server answered a request with a JSON-RPC error; warn for ping."},
	{CodeProtocolMismatch, SeverityFail,
		"The server chose a protocol version we do not know (fail), or a known one other than requested (info)."},
	{CodeNoResponse, SeverityFail,
		"No answer before the deadline, or the server closed its stdout; the detail names the phase. Warn for ping."},
	{CodeLineTooLong, SeverityFail,
		"A stdout line exceeded the size cap; the rest of it was discarded."},
	{CodeIgnoresEOF, SeverityWarn,
		"The server kept running after its stdin closed and needed SIGTERM or SIGKILL; real clients leak such processes."},
	{CodeSlowStart, SeverityWarn,
		"The first response took longer than the slow-start threshold, often a cold npx download."},
	{CodeUnsolicitedRequest, SeverityWarn,
		"The server sent a request for a capability we did not declare, or anything but ping before initialization ended."},
	{CodeEarlyNotification, SeverityInfo,
		"The server sent notifications before answering a request; noted, not an error."},
	{CodeNoToolsCapability, SeverityWarn,
		"The server does not declare the tools capability, so clients will not list its tools."},
	{CodeInterrupted, SeverityFail,
		"The probe was cancelled (Ctrl-C) before it finished."},
	{CodeProcessesLeftRunning, SeverityFail,
		"Processes of the server's group were still running when the probe had to return (they escaped SIGKILL)."},
	{CodeEscapedProcesses, SeverityWarn,
		"After the server's process group was gone, its stdout or stderr stayed open: a process that left the group (setsid) holds it and may keep running."},
	{CodeStdinNotRead, SeverityWarn,
		"The server wrote requests without reading its stdin, so some of our messages to it were dropped instead of blocking the probe."},
}

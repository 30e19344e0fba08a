package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

const (
	// DefaultServerURL is HoneyHive's shared deployment (the SDK's default since 1.0.1).
	DefaultServerURL = "https://api.dp1.us.honeyhive.ai"

	// DefaultRequestTimeout bounds one attempt, from connecting to reading the
	// last byte of the body. Large runs' results are computed on request and can
	// take seconds, so it is far above the SDK's 5 s.
	DefaultRequestTimeout = 60 * time.Second

	// DefaultMaxRetries is the number of retries after the first attempt.
	DefaultMaxRetries = 4

	// maxResponseBytes caps a response body.
	maxResponseBytes = 256 << 20

	// retryWaitMin and retryWaitMax bound the backoff between attempts.
	retryWaitMin = 500 * time.Millisecond
	retryWaitMax = 30 * time.Second

	// MaxRetryAfter is the longest Retry-After the client honours. A server
	// asking for a longer wait gets an error saying what it asked instead of a
	// Terraform run that silently hangs.
	MaxRetryAfter = 2 * time.Minute
)

// Environment variables read by ResolveServerURL and ResolveAccess, in order of
// precedence after the provider setting. HoneyHive's current CLI and
// TypeScript SDK read HH_DATA_PLANE_URL and HH_PROJECT_API_KEY first;
// HH_API_URL and HH_API_KEY are their deprecated aliases (and the Python
// SDK's only names); HONEYHIVE_SERVER_URL and HONEYHIVE_API_KEY are older
// spellings still seen.
const (
	EnvDataPlaneURL  = "HH_DATA_PLANE_URL"
	EnvAPIURL        = "HH_API_URL"
	EnvServerURL     = "HONEYHIVE_SERVER_URL"
	EnvProjectAPIKey = "HH_PROJECT_API_KEY"
	EnvAPIKey        = "HH_API_KEY"
	EnvHoneyHiveKey  = "HONEYHIVE_API_KEY"

	// SourceDefault is the source reported for DefaultServerURL.
	SourceDefault = "default"
)

// Names are what the caller calls the settings that the client's messages
// tell a person to check or change (the provider's attribute names): the
// client has no words of its own for them. Environment variables are
// HoneyHive's and keep their names. Every field should be set.
type Names struct {
	ServerURL, APIKey, DataPlaneAPIKey, ProjectID string
	// AggregateFunction is the setting sent as aggregate_function.
	AggregateFunction string
	// ReadTimeout is the setting that bounds WaitForRunSummary's ctx.
	ReadTimeout string
	// CreatedBounds names the settings FindRuns sends as dateRange.
	CreatedBounds string
	// Block is where the settings are written, such as `the configuration`.
	Block string
}

// sourceName is how messages name where a value came from: the setting or
// the environment variable it was read from, else (source unknown, none or
// the default) the setting and the first variable, which is where to put one.
func sourceName(source, setting, env string) string {
	if source == "" || source == SourceDefault {
		return setting + " (or " + env + ")"
	}
	return source
}

// KeySource names where the API key came from (sourceName).
func (n Names) KeySource(source string) string { return sourceName(source, n.APIKey, EnvProjectAPIKey) }

// ServerURLSource names where the base URL came from (sourceName).
func (n Names) ServerURLSource(source string) string {
	return sourceName(source, n.ServerURL, EnvDataPlaneURL)
}

// ProjectSource names where the project ID came from (sourceName).
func (n Names) ProjectSource(source string) string {
	return sourceName(source, n.ProjectID, EnvProjectID)
}

func (n Names) dataPlaneKeySource(source string) string {
	return sourceName(source, n.DataPlaneAPIKey, EnvDataPlaneAPIKey)
}

// ServerURLEnv and APIKeyEnv list the environment variables read for the base
// URL and the API key, first one first.
var (
	ServerURLEnv = []string{EnvDataPlaneURL, EnvAPIURL, EnvServerURL}
	APIKeyEnv    = []string{EnvProjectAPIKey, EnvAPIKey, EnvHoneyHiveKey}
)

// ResolveServerURL picks the HoneyHive API base URL: setting if non-empty, else
// the first non-empty variable of ServerURLEnv, else DefaultServerURL.
// Surrounding spaces and trailing slashes are removed. The result must be an
// absolute http or https URL with a host and no query, fragment or
// credentials; the error names the value and where it came from. source is
// names.ServerURL, the name of the environment variable, or "default". getenv
// nil means os.Getenv is not consulted (no environment).
func ResolveServerURL(setting string, names Names, getenv func(string) string) (serverURL, source string, err error) {
	raw, source := firstNonEmpty(setting, names.ServerURL, getenv, ServerURLEnv...)
	if raw == "" {
		raw, source = DefaultServerURL, SourceDefault
	}
	u, err := normalizeServerURL(raw, source, names)
	if err != nil {
		return "", source, err
	}
	return u, source, nil
}

func firstNonEmpty(setting, settingName string, getenv func(string) string, envs ...string) (value, source string) {
	if v := strings.TrimSpace(setting); v != "" {
		return v, settingName
	}
	if getenv == nil {
		return "", ""
	}
	for _, name := range envs {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v, name
		}
	}
	return "", ""
}

// normalizeServerURL validates raw and returns it without trailing slashes.
func normalizeServerURL(raw, source string, names Names) (string, error) {
	trimmed := strings.TrimRight(strings.TrimSpace(raw), "/")
	setting := names.ServerURL
	where := ""
	if source != "" && source != setting {
		where = " (from " + source + ")"
	}
	// Every message shows the value without user information or query: they
	// may hold credentials, and a log or a CI transcript keeps them.
	shown := RedactURL(raw)
	u, err := url.Parse(trimmed)
	if err != nil {
		// url.Parse errors quote the whole value; ours already does.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if shown != raw {
			// The parser's reason can quote a piece of what was redacted
			// (a password cut at a "?" reads as a port).
			return "", fmt.Errorf("%s %q%s is not a valid URL (its user information, query or fragment is not shown); "+
				"give only the API's base URL (for example %s), and the API key in %s", setting, shown, where, DefaultServerURL, names.APIKey)
		}
		return "", fmt.Errorf("%s %q%s is not a valid URL: %v", setting, shown, where, err)
	}
	// An "@" anywhere (also after a "/", where the parser reads a path) is
	// refused too: RedactURL hides what precedes it, and a base URL has no
	// use for one.
	if u.User != nil || strings.Contains(trimmed, "@") {
		return "", fmt.Errorf("%s %q%s must not contain a user name or password (or any \"@\"); the API key goes in %s",
			setting, shown, where, names.APIKey)
	}
	problem := ""
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		problem = "must be an http:// or https:// URL"
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		problem = "must be an http:// or https:// URL with a host name"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(trimmed, "#"):
		problem = "must not have a query or fragment: give only the API's base URL"
	default:
		return trimmed, nil
	}
	return "", fmt.Errorf("%s %q%s %s (for example %s)", setting, shown, where, problem, DefaultServerURL)
}

// Logger receives the client's debug log (one entry per attempt, per response,
// per retry). Fields never hold the API key or a response body beyond a short
// excerpt of an error response. The provider adapts tflog to it.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. The zero value of every field but ServerURL and
// APIKey means "the default".
type Config struct {
	// ServerURL is the API base URL, already resolved (ResolveServerURL); it is
	// validated again and trailing slashes are removed.
	ServerURL string
	// APIKey is sent as "Authorization: Bearer <key>". Required, and not one
	// of the kinds that cannot read runs (see KeyKindError). With ProjectID
	// it must be a data-plane key, and a data-plane key needs ProjectID
	// (ResolveAccess chooses both).
	APIKey string
	// ProjectID, when set, makes every request go to the project routes
	// (/v1/projects/{ProjectID}/runs...), never to a classic route; "" means
	// the classic routes (/v1/runs...). ProjectIDSource says where it came
	// from, for messages.
	ProjectID, ProjectIDSource string
	// ServerURLSource and APIKeySource say where ServerURL and APIKey came from
	// (as ResolveServerURL and ResolveAccess report it), so that messages name
	// the setting or environment variable to check. Empty means unknown.
	ServerURLSource, APIKeySource string
	// UserAgent is sent as User-Agent; empty (or one with control characters)
	// means Go's default.
	UserAgent string
	// RequestTimeout bounds each attempt, covering connect, headers and the
	// whole body. Zero or negative means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxRetries is the number of retries after the first attempt. Zero means
	// no retries; negative is treated as zero. Use DefaultMaxRetries for the default.
	MaxRetries int
	// Logger receives debug logs; nil means no logging.
	Logger Logger
	// DecodeLimits bound what a summary or comparison body may hold, for the
	// reads whose options set no limits of their own; zero fields are the
	// models' defaults.
	DecodeLimits models.DecodeLimits
	// Names name the caller's settings in messages.
	Names Names
}

// Client reads experiment results from one HoneyHive deployment. It is safe for
// concurrent use; its configuration does not change after NewClient.
type Client struct {
	// cfg is the configuration with the defaults filled in, the server URL
	// normalised and the key and project trimmed.
	cfg Config
	// The backoff's bounds, the longest Retry-After honoured and the
	// response size cap: constants, which tests shorten.
	waitMin, waitMax, maxRetryAfter time.Duration
	maxResponseBytes                int64
	// httpClient is this package's own (newHTTPClient).
	httpClient *http.Client
}

// NewClient validates cfg (a valid server URL, and a non-empty API key without
// spaces or control characters that is not of a kind that cannot read runs)
// and returns a Client. A key of the wrong kind is a *KeyKindError, returned
// before any request is made.
func NewClient(cfg Config) (*Client, error) {
	names := cfg.Names
	serverURL, err := normalizeServerURL(cfg.ServerURL, names.ServerURL, names)
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(cfg.APIKey)
	if key == "" {
		return nil, fmt.Errorf("no HoneyHive API key: set %s in %s, or the %s environment "+
			"variable (%s and %s are also read)", names.APIKey, names.Block, EnvProjectAPIKey, EnvAPIKey, EnvHoneyHiveKey)
	}
	if strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		// Never echo the key, not even a part of it.
		return nil, errors.New("the HoneyHive API key contains spaces or control characters; check " + names.KeySource(cfg.APIKeySource))
	}
	if err := checkKeyKind(key, cfg.APIKeySource, names); err != nil {
		return nil, err
	}
	project := strings.TrimSpace(cfg.ProjectID)
	switch {
	case IsDataPlaneKey(key) && project == "":
		return nil, missingProjectError(cfg.APIKeySource, names)
	case !IsDataPlaneKey(key) && project != "":
		// HoneyHive accepts only data-plane keys on the project routes.
		return nil, fmt.Errorf("project %q is read on HoneyHive's project routes, which accept only a fine-grained "+
			"data-plane key (its prefix is %s), and the API key (from %s) is not one", project, DataPlaneKeyPrefix,
			names.KeySource(cfg.APIKeySource))
	}
	cfg.ServerURL, cfg.APIKey, cfg.ProjectID = serverURL, key, project
	cfg.UserAgent = strings.TrimSpace(cfg.UserAgent)
	if strings.ContainsFunc(cfg.UserAgent, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		cfg.UserAgent = ""
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	cfg.MaxRetries = max(cfg.MaxRetries, 0)
	return &Client{cfg: cfg, waitMin: retryWaitMin, waitMax: retryWaitMax, maxRetryAfter: MaxRetryAfter,
		maxResponseBytes: maxResponseBytes, httpClient: newHTTPClient()}, nil
}

// ServerURL returns the base URL the client talks to, without trailing slash.
func (c *Client) ServerURL() string { return c.cfg.ServerURL }

// ProjectID returns the project whose routes the client reads, "" for the
// classic routes.
func (c *Client) ProjectID() string { return c.cfg.ProjectID }

// newHTTPClient returns a client with its own Transport (a clone of the default
// one, so proxies from the environment and HTTP/2 still work), no overall
// timeout (each attempt has its own context deadline) and a redirect policy
// that never downgrades https to http, where the Authorization header would
// travel in the clear.
func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// Many data sources read in parallel from the same host.
	t.MaxIdleConnsPerHost = 16
	return &http.Client{
		Transport: t,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return fmt.Errorf("%w: stopped after 5 redirects", errRedirectPolicy)
			}
			if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: it would downgrade https to %s", errRedirectPolicy, RedactURL(req.URL.String()))
			}
			// net/http drops Authorization for another host name but keeps
			// it for another port of the same host: the key is only for
			// the server URL's host and port.
			if !sameOrigin(via[0].URL, req.URL) {
				req.Header.Del("Authorization")
			}
			return nil
		},
	}
}

// sameOrigin reports whether b is a's host name and port, ports defaulted by
// scheme; an upgrade from http to https on the default ports counts as the
// same origin.
func sameOrigin(a, b *url.URL) bool {
	if !strings.EqualFold(a.Hostname(), b.Hostname()) {
		return false
	}
	pa, pb := portOf(a), portOf(b)
	return pa == pb || (a.Scheme == "http" && pa == "80" && b.Scheme == "https" && pb == "443")
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

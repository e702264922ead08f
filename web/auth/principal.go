// Package auth is who may use baocao's HTTP doors: the identities (users
// and tokens from the users file, stored hashed), their roles, and the
// middleware that asks for them. The HTTP handlers read the caller from the
// request's context.
package auth

import "context"

// Role is what an identity may do over HTTP.
type Role string

const (
	// Reader may read the report pages, download the report files and
	// scrape /metrics.
	Reader Role = "reader"
	// Analyst may do what a reader does and query /sql.
	Analyst Role = "analyst"
	// Agency may only send its own agency's events to POST /v1/events.
	Agency Role = "agency"
)

// Principal is the caller of a request once authenticated.
type Principal struct {
	Name string
	Role Role
	// Agency is the agency code an Agency principal sends events for;
	// empty for other roles.
	Agency string
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the request's caller, if one was authenticated.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

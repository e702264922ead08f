package auth

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Failed logins are slowed and then limited per client address: every
// failure answers after failDelay, and once an address has maxFailures
// failures within failWindow, until the window ends, a password it sends
// is checked only if it passed bcrypt recently (so people already logged
// in, perhaps behind the same proxy, go on) and is otherwise answered 429
// unchecked; tokens, being unguessable and cheap to check, are still
// checked. A password guesser gets ten tries a minute per address; a
// person who mistyped waits a quarter of a second.
const (
	failDelay   = 250 * time.Millisecond
	maxFailures = 10
	failWindow  = time.Minute
)

// Require returns middleware that lets through only callers of one of
// roles, with the caller in the request's context (FromContext): 401 and a
// challenge without credentials or with wrong ones, 403 for another role,
// 429 for a password from an address that failed too often.
func Require(users *Users, roles ...Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			addr := clientAddr(r)
			wait := users.failures.blocked(addr)
			p, err := users.authenticate(r, wait == 0)
			if errors.Is(err, errLimited) {
				users.metric.WithLabelValues("limited").Inc()
				w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
				http.Error(w, "too many failed logins from this address: try again later", http.StatusTooManyRequests)
				return
			}
			if err != nil {
				challenge(w)
				switch {
				case errors.Is(err, ErrNoCredentials):
					users.metric.WithLabelValues("none").Inc()
					http.Error(w, "login required", http.StatusUnauthorized)
				case errors.Is(err, ErrNoUsers):
					users.metric.WithLabelValues("no_users").Inc()
					http.Error(w, "login required, and no user can log in yet: the operator adds one with \"baocao users add\"", http.StatusUnauthorized)
				default:
					users.metric.WithLabelValues("failed").Inc()
					users.failures.add(addr)
					name, _, _ := r.BasicAuth() // the name, never the secret
					users.log().Warn("failed login", "addr", addr, "user", name, "path", r.URL.Path)
					time.Sleep(failDelay)
					http.Error(w, "wrong user, password or token", http.StatusUnauthorized)
				}
				return
			}
			if !slices.Contains(roles, p.Role) {
				users.metric.WithLabelValues("forbidden").Inc()
				users.log().Info("refused: role not allowed", "addr", addr, "user", p.Name, "role", p.Role, "path", r.URL.Path)
				http.Error(w, fmt.Sprintf("user %q (%s) may not use %s", p.Name, p.Role, r.URL.Path), http.StatusForbidden)
				return
			}
			users.metric.WithLabelValues("ok").Inc()
			next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
		})
	}
}

func challenge(w http.ResponseWriter) {
	w.Header().Add("WWW-Authenticate", `Basic realm="baocao", charset="UTF-8"`)
	w.Header().Add("WWW-Authenticate", `Bearer realm="baocao"`)
}

// clientAddr is the peer's IP. A proxy's X-Forwarded-For is not believed:
// anyone can send one.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Collector is the logins' counter, baocao_http_logins_total by outcome
// (ok, none, failed, forbidden, limited, no_users), for a registry.
func (u *Users) Collector() prometheus.Collector { return u.metric }

func newLoginMetric() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "baocao_http_logins_total",
		Help: "Requests to protected HTTP routes by login outcome: ok, none (no credentials), failed (wrong ones), forbidden (role), limited (too many failures), no_users.",
	}, []string{"outcome"})
}

// failures counts failed logins per address within a window.
type failures struct {
	mu   sync.Mutex
	seen map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newFailures() *failures { return &failures{seen: map[string]*window{}} }

func (f *failures) add(addr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if len(f.seen) > 10000 { // bounded: forget windows that ended
		for a, w := range f.seen {
			if now.Sub(w.start) >= failWindow {
				delete(f.seen, a)
			}
		}
	}
	w := f.seen[addr]
	if w == nil || now.Sub(w.start) >= failWindow {
		w = &window{start: now}
		f.seen[addr] = w
	}
	w.n++
}

// blocked is how long addr must still wait, 0 if it may try.
func (f *failures) blocked(addr string) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := f.seen[addr]
	if w == nil || w.n < maxFailures {
		return 0
	}
	return max(0, failWindow-time.Since(w.start))
}

package web

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/contributions/roundtest"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/browsertest"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/web/auth"
)

// roundPages serves the pages over the round of roundtest on 18/6/2024
// 20:00, before its deadline.
func roundPages(t *testing.T, s store.Store, now time.Time, cfg func(*Config)) *httptest.Server {
	t.Helper()
	db := storetest.Migrated(t, s)
	storetest.InsertOnce(t, s, db, append(roundtest.Directory(), roundtest.Contributions(t)...))
	pages := &Pages{Store: s, DB: db, Dir: t.TempDir(), Now: func() time.Time { return now },
		Rounds: contributions.Rounds{report.Reform: roundtest.Round()}}
	c := Config{Store: s, Pages: pages}
	if cfg != nil {
		cfg(&c)
	}
	ts := httptest.NewServer(Handler(c))
	t.Cleanup(ts.Close)
	return ts
}

var beforeDeadline = time.Date(2024, 6, 18, 20, 0, 0, 0, events.Vietnam)

// The round page on both engines: each asked agency's parts with their
// state, the list of those not in, nothing for a bad path.
func TestRoundPage(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		ts := roundPages(t, s, beforeDeadline, nil)
		code, body, _ := get(t, ts.URL+"/rounds/reform/2024-H1-official")
		for _, want := range []string{
			"Hạn gửi: hết ngày <strong>18/06/2024</strong>", "vòng thu thập đang mở",
			"5 đơn vị được đề nghị", "2 đã gửi đúng hạn", "1 gửi muộn", "2 chưa gửi đủ",
			"<th>cả báo cáo</th><th>results.institutions<br><small>Cải cách thể chế</small></th><th>results.public_finance<br><small>Cải cách tài chính công</small></th>",
			"Sở Tư pháp", "đã gửi 10:00 17/06/2024", "gửi muộn 08:00 20/06/2024", "chưa gửi",
			`data-outstanding="` + roundtest.Finance + `"`, `data-outstanding="` + roundtest.VinhBao + `"`,
			"Ủy ban nhân dân phường Minh Khai", // not asked, contributed
			"@media print",
		} {
			if code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("the round page: %d, lacks %q", code, want)
			}
		}
		if strings.Contains(body, roundtest.Merged) || strings.Contains(body, roundtest.Newer) {
			t.Errorf("the round page lists an agency merged away or created after the period")
		}
		for _, path := range []string{"/rounds/reform/2024-Q2-official", "/rounds/budget/2024-H1-official", "/rounds/reform/x'%20OR%201=1"} {
			if code, _, _ := get(t, ts.URL+path); code != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, code)
			}
		}
	})
}

// A reader may see the round page, an agency may not; a login is asked
// first.
func TestRoundPageReader(t *testing.T) {
	users, err := auth.Open(filepath.Join(t.TempDir(), "auth", "http-users.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	reader, err := users.AddToken("board", auth.Reader, "")
	if err != nil {
		t.Fatal(err)
	}
	agency, err := users.AddToken("h99", auth.Agency, roundtest.Justice)
	if err != nil {
		t.Fatal(err)
	}
	ts := roundPages(t, enginetest.Embedded(), beforeDeadline, func(c *Config) { c.RequireLogin, c.Users = true, users })
	for _, tt := range []struct {
		name, token string
		want        int
	}{{"no login", "", http.StatusUnauthorized}, {"an agency", agency, http.StatusForbidden}, {"a reader", reader, http.StatusOK}} {
		var set func(*http.Request)
		if tt.token != "" {
			set = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tt.token) }
		}
		if code, body := status(t, ts.URL+"/rounds/reform/2024-H1-official", set); code != tt.want || code == 200 && !strings.Contains(body, "Sở Tư pháp") {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.want)
		}
	}
}

// The round page in Chromium, before and after the deadline: no console
// errors, each cell's state as the round has it, and the list of agencies
// not in.
func TestRoundPageInBrowser(t *testing.T) {
	for _, tt := range []struct {
		name        string
		now         time.Time
		states      []string // per asked agency, its parts' data-state in order
		outstanding []string
	}{
		{"before the deadline", beforeDeadline,
			[]string{"submitted submitted", "submitted", "submitted missing", "late", "missing"},
			[]string{roundtest.Finance, roundtest.VinhBao}},
		{"after the deadline", time.Date(2024, 6, 25, 9, 0, 0, 0, events.Vietnam),
			[]string{"submitted submitted", "submitted", "submitted late", "late", "late"},
			[]string{roundtest.Finance, roundtest.VinhBao}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := roundPages(t, enginetest.Embedded(), tt.now, nil)
			page := browsertest.LoadURL(t, ts.URL+"/rounds/reform/2024-H1-official")
			if page.Status != http.StatusOK || len(page.ConsoleProblems) > 0 || len(page.FailedLoads) > 0 {
				t.Fatalf("status %d, console %v, failed loads %v", page.Status, page.ConsoleProblems, page.FailedLoads)
			}
			rows := page.Attrs("tr[data-agency]", "data-agency")
			want := []string{roundtest.Justice, roundtest.Home, roundtest.Finance, roundtest.HongBang, roundtest.VinhBao}
			if strings.Join(rows, " ") != strings.Join(want, " ") {
				t.Fatalf("rows %v; want %v", rows, want)
			}
			for i, code := range want {
				got := page.Attrs("tr[data-agency='"+code+"'] td[data-state]", "data-state")
				if strings.Join(got, " ") != tt.states[i] {
					t.Errorf("%s: states %v; want %s", code, got, tt.states[i])
				}
			}
			if got := page.Attrs("tr[data-outstanding]", "data-outstanding"); strings.Join(got, " ") != strings.Join(tt.outstanding, " ") {
				t.Errorf("not in: %v; want %v", got, tt.outstanding)
			}
			if texts := page.Texts("table.round td.late"); len(texts) == 0 {
				t.Errorf("no late cell shown")
			}
		})
	}
}

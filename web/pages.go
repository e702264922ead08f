package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

// Pages are the report pages: an index of the periods and the reports
// written for them, each report as a page with its downloads, and a
// drill-down of the dossier form by agency. A report the scheduler has
// written is shown as written; a period without one (not ended yet, or
// within the grace) is shown as a preview computed on request.
type Pages struct {
	Store store.Store
	DB    string
	// Dir is the reports folder: Dir/<kind>/<period>-<cutoff>.<format>, as
	// the scheduler writes it.
	Dir string
	// Kinds are the report kinds listed (nil: every kind); Cutoff the
	// cut-off of the periods listed ("" is official).
	Kinds  []report.Kind
	Cutoff string
	// Layouts are the province's outlines, headers and footers, for the
	// previews of reports not written yet.
	Layouts report.Layouts
	// Rounds are the collection rounds of contributions (nil: the
	// defaults), for the pages of each report's round.
	Rounds contributions.Rounds
	Now    func() time.Time // nil: time.Now
	Log    *slog.Logger
}

// Register adds the pages' routes to mux.
func (p *Pages) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", p.index)
	mux.HandleFunc("GET /reports/{kind}/{name}", p.report)
	mux.HandleFunc("GET /reports/{kind}/{name}/agencies/{agency}", p.agency)
	mux.HandleFunc("GET /files/{kind}/{file}", p.file)
	mux.HandleFunc("GET /rounds/{kind}/{name}", p.round)
}

// fileName is a report file's name in its kind's folder.
var fileName = regexp.MustCompile(`^((\d{4}(?:-(?:M\d{2}|Q[1-4]|H[12]|9M))?)-(calendar|official))\.(md|html|xlsx)$`)

// contentTypes are the types of the report formats served.
var contentTypes = map[string]string{
	report.FormatMarkdown: "text/markdown; charset=utf-8",
	report.FormatHTML:     "text/html; charset=utf-8",
	report.FormatXLSX:     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// formatNames label the download links.
var formatNames = map[string]string{report.FormatXLSX: "XLSX", report.FormatMarkdown: "Markdown", report.FormatHTML: "HTML"}

func (p *Pages) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Pages) log() *slog.Logger {
	if p.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Log
}

func (p *Pages) kinds() []report.Kind {
	if len(p.Kinds) > 0 {
		return p.Kinds
	}
	return []report.Kind{report.Reform, report.ProcedureControl}
}

func (p *Pages) cutoff() string {
	if p.Cutoff == "" {
		return report.Official
	}
	return p.Cutoff
}

// link is a named URL.
type link struct{ Name, URL string }

// listed is a row of the index: a report of a period, written or not.
type listed struct {
	Kind    report.Kind
	Period  report.Period
	Name    string // 2024-H1-official
	Files   []link
	Written time.Time
}

func (l listed) URL() string { return "/reports/" + string(l.Kind) + "/" + l.Name }

func (l listed) Dates() string {
	return report.Date(l.Period.Start()) + " – " + report.Date(l.Period.End())
}

func reportName(per report.Period) string { return per.String() + "-" + per.Cutoff }

// files lists the formats of report kind/name in the folder, XLSX first
// (what most readers want), with the newest file's time.
func (p *Pages) files(kind report.Kind, name string) ([]link, time.Time) {
	var out []link
	var newest time.Time
	for _, f := range []string{report.FormatXLSX, report.FormatMarkdown, report.FormatHTML} {
		st, err := os.Stat(filepath.Join(p.Dir, string(kind), name+"."+f))
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		out = append(out, link{formatNames[f], "/files/" + string(kind) + "/" + name + "." + f})
		if st.ModTime().After(newest) {
			newest = st.ModTime()
		}
	}
	return out, newest
}

// dataSpan is what the index says about the data: the days of the first
// and last dossier received, and how many dossiers.
type dataSpan struct {
	First, Last events.Date
	Dossiers    int64
}

func (p *Pages) span(ctx context.Context) (*dataSpan, error) {
	res, err := p.Store.Query(ctx, `SELECT toString(toDate(min(occurred_at))) AS first, toString(toDate(max(occurred_at))) AS last,
		uniqExact(subject_id) AS dossiers FROM `+p.DB+`.events WHERE type = 'dossier.received'`)
	if err != nil {
		return nil, err
	}
	if len(res.Rows) == 0 || res.Rows[0][2] == "0" {
		return nil, nil
	}
	first, err1 := time.Parse(time.DateOnly, res.Rows[0][0])
	last, err2 := time.Parse(time.DateOnly, res.Rows[0][1])
	s := dataSpan{First: events.Date{Time: first}, Last: events.Date{Time: last}}
	_, err3 := fmt.Sscan(res.Rows[0][2], &s.Dossiers)
	return &s, errors.Join(err1, err2, err3)
}

func (p *Pages) province(ctx context.Context) string {
	_, name, _ := report.Province(ctx, p.Store, p.DB) // a heading: none until the directory has it
	return name
}

// index lists, per report kind, every period that holds data and has
// begun, and every report in the folder, newest first.
func (p *Pages) index(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	span, err := p.span(ctx)
	if err != nil {
		p.fail(w, http.StatusInternalServerError, "Không đọc được dữ liệu", err)
		return
	}
	now := p.now()
	type section struct {
		Title string
		Rows  []listed
	}
	var sections []section
	for _, k := range p.kinds() {
		rows := map[string]listed{}
		if span != nil {
			for _, kind := range report.Kinds[k] {
				for y := max(span.First.Year(), 2015); y <= min(span.Last.Year()+1, 2040); y++ {
					for n := 1; n <= report.PeriodsInYear(kind); n++ {
						per := report.Period{Kind: kind, Cutoff: p.cutoff(), Year: y, Number: n}
						if per.Start().After(span.Last.Time) || per.End().Before(span.First.Time) || per.Start().After(now) {
							continue
						}
						rows[reportName(per)] = listed{Kind: k, Period: per, Name: reportName(per)}
					}
				}
			}
		}
		// Reports in the folder outside the data's span or of the other
		// cut-off are listed too.
		entries, _ := os.ReadDir(filepath.Join(p.Dir, string(k)))
		for _, e := range entries {
			m := fileName.FindStringSubmatch(e.Name())
			if m == nil {
				continue
			}
			if _, ok := rows[m[1]]; ok {
				continue
			}
			if per, err := report.ParsePeriod(m[2], m[3]); err == nil {
				rows[m[1]] = listed{Kind: k, Period: per, Name: m[1]}
			}
		}
		var s section
		s.Title = k.Title()
		for name, l := range rows {
			l.Files, l.Written = p.files(k, name)
			s.Rows = append(s.Rows, l)
		}
		slices.SortFunc(s.Rows, func(a, b listed) int {
			if c := b.Period.End().Compare(a.Period.End().Time); c != 0 {
				return c
			}
			return a.Period.Start().Compare(b.Period.Start().Time)
		})
		sections = append(sections, s)
	}
	p.render(w, "index", page{Title: "Báo cáo định kỳ", Data: map[string]any{
		"Province": p.province(ctx), "Span": span, "Sections": sections, "Now": now, "Dir": p.Dir,
	}})
}

// parseReport reads {kind} and {name} of a report's path, answering 404
// for anything that is not a report of a known kind and period.
func (p *Pages) parseReport(w http.ResponseWriter, r *http.Request) (report.Kind, report.Period, bool) {
	k, err := report.ParseKind(r.PathValue("kind"))
	if err != nil {
		p.fail(w, http.StatusNotFound, "Không có loại báo cáo này", err)
		return "", report.Period{}, false
	}
	name := r.PathValue("name")
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		p.fail(w, http.StatusNotFound, "Không có kỳ báo cáo này", fmt.Errorf("report %q: want <period>-<cut-off>, as 2024-H1-official", name))
		return "", report.Period{}, false
	}
	per, err := report.ParsePeriod(name[:i], name[i+1:])
	if err == nil {
		err = k.Allows(per)
	}
	if err != nil {
		p.fail(w, http.StatusNotFound, "Không có kỳ báo cáo này", err)
		return "", report.Period{}, false
	}
	return k, per, true
}

// report shows a report: the written HTML file's body when there is one,
// else a preview built now; then the agencies, each linked to its
// drill-down.
func (p *Pages) report(w http.ResponseWriter, r *http.Request) {
	k, per, ok := p.parseReport(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	name := reportName(per)
	files, written := p.files(k, name)
	pg := page{Title: per.Label() + " – " + k.Title(), Report: true, Downloads: files,
		Crumbs: []link{{k.Title() + " " + report.LowerFirst(per.Label()), ""}}}
	doc, err := os.ReadFile(filepath.Join(p.Dir, string(k), name+"."+report.FormatHTML))
	if err != nil {
		d, err := report.Load(ctx, p.Store, p.DB, per)
		if err != nil {
			p.fail(w, http.StatusInternalServerError, "Không lập được báo cáo", err)
			return
		}
		var buf bytes.Buffer
		if err := report.HTML(&buf, p.Layouts.For(k).Build(d)); err != nil {
			p.fail(w, http.StatusInternalServerError, "Không lập được báo cáo", err)
			return
		}
		doc = buf.Bytes()
		pg.Notice = "Bản xem trước, lập lúc " + p.now().In(events.Vietnam).Format("15:04 02/01/2006") + " từ số liệu hiện có: "
		if per.Closed(p.now(), 0) {
			pg.Notice += "kỳ báo cáo đã kết thúc, báo cáo chính thức sẽ được lập sau thời gian chờ số liệu đến muộn."
		} else {
			pg.Notice += "kỳ báo cáo chưa kết thúc, số liệu còn thay đổi."
		}
	} else {
		pg.Notice = "Báo cáo lập lúc " + written.In(events.Vietnam).Format("15:04 02/01/2006") + "."
	}
	agencies, err := report.LoadAgencies(ctx, p.Store, p.DB, per)
	if err != nil {
		p.fail(w, http.StatusInternalServerError, "Không đọc được số liệu theo cơ quan", err)
		return
	}
	pg.Data = map[string]any{"Body": htmlBody(doc), "Agencies": agencyGroups(agencies), "Base": "/reports/" + string(k) + "/" + name}
	p.render(w, "report", pg)
}

// htmlBody is what a report's HTML file holds between <body> and </body>.
// The files come from report.HTML, which escapes everything it writes.
func htmlBody(doc []byte) template.HTML {
	s := string(doc)
	if i := strings.Index(s, "<body>"); i >= 0 {
		s = s[i+len("<body>"):]
	}
	if i := strings.LastIndex(s, "</body>"); i >= 0 {
		s = s[:i]
	}
	return template.HTML(s)
}

// levelGroup is the agencies of one section of the form.
type levelGroup struct {
	Name string
	Rows []report.FormRow
}

func agencyGroups(rows []report.FormRow) []levelGroup {
	var out []levelGroup
	for _, l := range report.LevelGroups {
		g := levelGroup{Name: l.Name}
		for _, r := range rows {
			if r.LevelGroup == l.Key {
				g.Rows = append(g.Rows, r)
			}
		}
		if len(g.Rows) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// agency is the drill-down: one agency's form for the report's period.
func (p *Pages) agency(w http.ResponseWriter, r *http.Request) {
	k, per, ok := p.parseReport(w, r)
	if !ok {
		return
	}
	a, err := report.LoadAgency(r.Context(), p.Store, p.DB, per, r.PathValue("agency"))
	if errors.Is(err, report.ErrNoAgency) {
		p.fail(w, http.StatusNotFound, "Không có cơ quan này trong kỳ báo cáo", err)
		return
	}
	if err != nil {
		p.fail(w, http.StatusInternalServerError, "Không đọc được số liệu của cơ quan", err)
		return
	}
	base := "/reports/" + string(k) + "/" + reportName(per)
	name := a.Name
	if name == "" {
		name = a.Agency
	}
	p.render(w, "agency", page{Title: name + " – " + per.Label(), Report: true,
		Crumbs: []link{{k.Title() + " " + report.LowerFirst(per.Label()), base}, {name, ""}},
		Data:   map[string]any{"Agency": a, "Name": name, "Blocks": report.HTMLBlocks(a.Blocks())}})
}

// file serves a report file from the folder: only the names the scheduler
// writes, so no path leads elsewhere.
func (p *Pages) file(w http.ResponseWriter, r *http.Request) {
	k, err := report.ParseKind(r.PathValue("kind"))
	m := fileName.FindStringSubmatch(r.PathValue("file"))
	if err != nil || m == nil {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(filepath.Join(p.Dir, string(k), m[0]))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	format := m[4]
	w.Header().Set("Content-Type", contentTypes[format])
	if format != report.FormatHTML {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", string(k)+"-"+m[0]))
	}
	http.ServeContent(w, r, m[0], st.ModTime(), f)
}

// page is what the layout shows around a page's content.
type page struct {
	Title     string
	Crumbs    []link // after the home link; the last is the current page
	Downloads []link
	Notice    string
	Report    bool // the report's stylesheet applies
	Error     string
	Data      map[string]any
}

func (p *Pages) render(w http.ResponseWriter, name string, pg page) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, pg); err != nil {
		p.log().Error("page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// fail answers with an error page; server errors are logged with their
// cause, which the page also names.
func (p *Pages) fail(w http.ResponseWriter, code int, title string, err error) {
	if code >= 500 {
		p.log().Error(title, "err", err)
	}
	var buf bytes.Buffer
	if e := templates.ExecuteTemplate(&buf, "error", page{Title: title, Error: err.Error()}); e != nil {
		http.Error(w, title+": "+err.Error(), code)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

var templates = template.Must(template.New("pages").Funcs(template.FuncMap{
	"reportStyle": func() template.CSS { return report.Stylesheet },
	// three bars, inline, so that browsers do not ask for /favicon.ico
	"favicon": func() template.URL {
		return template.URL(`data:image/svg+xml,` + url.PathEscape(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="8" width="4" height="7" fill="#1f5fa8"/><rect x="6" y="4" width="4" height="11" fill="#3f9e4d"/><rect x="11" y="1" width="4" height="14" fill="#e08a1e"/></svg>`))
	},
	"int":       report.Int,
	"date":      report.Date,
	"percentOf": report.PercentOf,
	"when":      func(t time.Time) string { return t.In(events.Vietnam).Format("15:04 02/01/2006") },
	"path":      url.PathEscape,
	"addInt":    func(a, b int64) int64 { return a + b },
	"nameOr":    cmp.Or[string], // the agency's name, else its code
	"status": func(l listed, now time.Time) string {
		switch {
		case len(l.Files) > 0:
			return "done"
		case l.Period.Closed(now, 0):
			return "due"
		}
		return "open"
	},
}).Parse(layout))

const layout = `
{{define "head"}}<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="{{favicon}}">
<style>
{{if .Report}}{{reportStyle}}{{else}}body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; max-width: 72em; margin: 1em auto; padding: 0 1em; color: #111; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccd3dd; padding: 4px 8px; text-align: left; }
th { background: #eef1f5; }
code { background: #f3f4f6; padding: 0 .2em; }
{{end}}
nav.bc { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; display: flex; flex-wrap: wrap; gap: .3em 1em; align-items: baseline; padding: .5em .8em; background: #eef1f5; border-bottom: 2px solid #1f5fa8; margin-bottom: 1.5em; }
nav.bc a { color: #1f5fa8; }
nav.bc .downloads { margin-left: auto; }
nav.bc .downloads a { margin-left: .6em; }
p.notice { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; text-indent: 0; background: #fff7e0; border: 1px solid #e0b84a; padding: .4em .8em; }
section.drill { font-family: Arial, Helvetica, sans-serif; margin-top: 2.5em; border-top: 2px solid #1f5fa8; }
section.drill table { font-size: 10pt; }
section.drill td.group { font-weight: bold; background: #f6f7f9; }
.done { color: #2d7a3a; } .due { color: #c0392b; } .open { color: #b06a0c; }
.files a { margin-right: .6em; }
</style>
</head>
<body>
<nav class="bc"><a href="/">Báo cáo định kỳ</a>{{range .Crumbs}}<span>›</span>{{if .URL}}<a href="{{.URL}}">{{.Name}}</a>{{else}}<span>{{.Name}}</span>{{end}}{{end}}
{{if .Downloads}}<span class="downloads">Tải về:{{range .Downloads}} <a href="{{.URL}}">{{.Name}}</a>{{end}}</span>{{end}}</nav>
{{if .Notice}}<p class="notice">{{.Notice}}</p>{{end}}
{{end}}

{{define "foot"}}</body>
</html>
{{end}}

{{define "index"}}{{template "head" .}}{{with .Data}}
<h1>Báo cáo định kỳ{{with .Province}} – {{.}}{{end}}</h1>
{{with .Span}}<p>Dữ liệu hồ sơ từ ngày {{date .First}} đến ngày {{date .Last}}: {{int .Dossiers}} hồ sơ. Báo cáo được lập tự động sau khi kỳ báo cáo kết thúc; kỳ chưa lập có bản xem trước tính từ số liệu hiện có.</p>
{{else}}<p>Chưa có hồ sơ nào. Các hệ thống một cửa gửi sự kiện tới NATS (<code>baocao publish</code>); báo cáo hiện ra ở đây khi có số liệu.</p>{{end}}
{{$now := .Now}}{{range .Sections}}
<h2>{{.Title}}</h2>
{{if .Rows}}<table>
<thead><tr><th>Kỳ báo cáo</th><th>Thời gian</th><th>Trạng thái</th><th>Tải về</th><th>Nội dung các đơn vị</th></tr></thead>
<tbody>{{range .Rows}}{{$s := status . $now}}
<tr><td><a href="{{.URL}}">{{.Period.Label}}</a></td><td>{{.Dates}}</td>
<td class="{{$s}}">{{if eq $s "done"}}Đã lập lúc {{when .Written}}{{else if eq $s "due"}}Đã kết thúc, chưa lập{{else}}Đang diễn ra{{end}}</td>
<td class="files">{{range .Files}}<a href="{{.URL}}">{{.Name}}</a>{{end}}</td>
<td><a href="/rounds/{{.Kind}}/{{.Name}}">Tình hình gửi</a></td></tr>{{end}}
</tbody></table>
{{else}}<p>Chưa có kỳ báo cáo nào.</p>{{end}}{{end}}
<h2>Truy vấn số liệu</h2>
<p>Các view trong thư mục <code>queries/</code> đọc được qua SQL chỉ đọc: <code>/sql?query=SELECT …&amp;format=csv</code> (csv, tsv, json), hoặc <code>baocao sql "SELECT …"</code>. Tình trạng hệ thống: <a href="/healthz">/healthz</a>, số đo: <a href="/metrics">/metrics</a>.</p>
{{end}}{{template "foot"}}{{end}}

{{define "report"}}{{template "head" .}}{{with .Data}}
<article>{{.Body}}</article>
{{$base := .Base}}
<section class="drill">
<h2>Chi tiết hồ sơ theo cơ quan, đơn vị</h2>
{{if .Agencies}}<table>
<thead><tr><th>Cơ quan, đơn vị</th><th>Tiếp nhận</th><th>Đã giải quyết</th><th>Trước và đúng hạn</th><th>Đang giải quyết</th><th>Quá hạn</th></tr></thead>
<tbody>{{range .Agencies}}<tr><td class="group" colspan="6">{{.Name}}</td></tr>
{{range .Rows}}<tr><td><a href="{{$base}}/agencies/{{path .Agency}}">{{nameOr .AgencyName .Agency}}</a></td><td class="num">{{int .ReceivedTotal}}</td><td class="num">{{int .ResolvedTotal}}</td>
<td class="num">{{percentOf (addInt .ResolvedEarly .ResolvedOnTime) .ResolvedTotal}}</td><td class="num">{{int .InProgressTotal}}</td><td class="num">{{int .InProgressOverdue}}</td></tr>
{{end}}{{end}}</tbody></table>
{{else}}<p>Không có hồ sơ trong kỳ.</p>{{end}}
</section>
{{end}}{{template "foot"}}{{end}}

{{define "agency"}}{{template "head" .}}{{with .Data}}
<h1>{{.Name}}</h1>
<p class="subject">{{.Agency.Period.Label}} (từ ngày {{date .Agency.Period.Start}} đến ngày {{date .Agency.Period.End}}); mã {{.Agency.Agency}}</p>
{{.Blocks}}
{{end}}{{template "foot"}}{{end}}

{{define "error"}}{{template "head" .}}
<h1>{{.Title}}</h1>
<p><code>{{.Error}}</code></p>
<p><a href="/">Về danh sách báo cáo</a></p>
{{template "foot"}}{{end}}
`

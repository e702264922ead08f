package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/baocao/baocao/contributions"
)

// round is the page of a report's collection round: the asked agencies ×
// their parts, submitted (when), missing or late, and the list of those
// that have not sent their part, which prints alone (the office sends it
// with its reminder).
func (p *Pages) round(w http.ResponseWriter, r *http.Request) {
	k, per, ok := p.parseReport(w, r)
	if !ok {
		return
	}
	s, err := p.Rounds.For(k).Load(r.Context(), p.Store, p.DB, k, per, p.now())
	if err != nil {
		p.fail(w, http.StatusInternalServerError, "Không đọc được tình hình gửi nội dung", err)
		return
	}
	onTime, late, missing := s.Counts()
	name := reportName(per)
	// the assigned sections' headings, as the outline has them
	headings := map[string]string{}
	for _, sec := range p.Layouts.For(k).Outline.Sections {
		if !strings.Contains(sec.Heading, "{") {
			headings[sec.Key] = sec.Heading
		}
	}
	p.render(w, "round", page{Title: "Tình hình gửi nội dung – " + k.Title() + " " + per.Label(),
		Crumbs: []link{{k.Title() + " " + per.Label(), "/reports/" + string(k) + "/" + name}, {"Tình hình gửi nội dung", ""}},
		Data: map[string]any{"Status": s, "Province": p.province(r.Context()), "OnTime": onTime, "Late": late, "Missing": missing,
			"Outstanding": s.Outstanding(), "Kind": k.Title(), "Headings": headings}})
}

var _ = template.Must(templates.Funcs(template.FuncMap{
	"partName": contributions.PartName,
	"seq":      func(i int) int { return i + 1 },
	// the parts an outstanding agency has not sent
	"missingParts": func(s *contributions.Status, a contributions.Agency) []string {
		var out []string
		for i, pt := range a.Parts {
			if pt.State != "" && pt.SubmittedAt.IsZero() {
				out = append(out, contributions.PartName(s.Parts[i]))
			}
		}
		return out
	},
}).Parse(roundLayout))

const roundLayout = `
{{define "round"}}{{template "head" .}}{{with .Data}}{{$s := .Status}}
<style>
table.round td.submitted { color: #2d7a3a; } table.round td.missing { color: #b06a0c; } table.round td.late { color: #c0392b; font-weight: bold; }
table.round td.none { color: #999; }
@media print {
  nav.bc, .screen { display: none; }
  body { max-width: none; margin: 0; font-family: "Times New Roman", serif; font-size: 13pt; }
  section.outstanding h2 { font-size: 14pt; text-align: center; }
  section.outstanding table { width: 100%; border-collapse: collapse; }
  section.outstanding th, section.outstanding td { border: 1px solid #000; padding: 3pt 5pt; }
}
</style>
<div class="screen">
<h1>Tình hình gửi nội dung báo cáo</h1>
<p class="summary">{{.Kind}} {{$s.Period.Label}}{{with .Province}} – {{.}}{{end}}. Hạn gửi: hết ngày <strong>{{$s.DeadlineDay}}</strong>;
{{if $s.Open}}vòng thu thập đang mở{{else}}vòng thu thập đã đóng{{end}} (lúc {{when $s.At}}).
{{len $s.Agencies}} đơn vị được đề nghị: <span class="submitted">{{.OnTime}} đã gửi đúng hạn</span>, <span class="late">{{.Late}} gửi muộn</span>, <span class="missing">{{.Missing}} chưa gửi đủ</span>.</p>
<table class="round">
<thead><tr><th>Mã</th><th>Đơn vị</th>{{range $s.Parts}}<th>{{partName .}}{{with index $.Data.Headings .}}<br><small>{{.}}</small>{{end}}</th>{{end}}</tr></thead>
<tbody>{{range $s.Agencies}}<tr data-agency="{{.Code}}"><td>{{.Code}}</td><td>{{nameOr .Name "(không có trong danh bạ)"}}</td>
{{range .Parts}}{{if .State}}<td class="{{.State}}" data-state="{{.State}}"{{with .Sections}} title="{{range $i, $x := .}}{{if $i}}, {{end}}{{$x}}{{end}}"{{end}}>{{.StateLabel}}</td>{{else}}<td class="none">—</td>{{end}}{{end}}</tr>
{{end}}</tbody></table>
{{with $s.Others}}<h2>Đơn vị khác đã gửi</h2>
<ul>{{range .}}<li>{{.Code}} {{.Name}}: {{range $i, $x := (index .Parts 0).Sections}}{{if $i}}, {{end}}{{$x}}{{end}}</li>{{end}}</ul>{{end}}
</div>
<section class="outstanding">
<h2>Danh sách đơn vị chưa gửi nội dung báo cáo {{$s.Period.Label}} (hạn gửi {{$s.DeadlineDay}})</h2>
{{if .Outstanding}}<p class="screen"><button type="button" onclick="window.print()">In danh sách</button></p>
<table>
<thead><tr><th>STT</th><th>Mã</th><th>Đơn vị</th><th>Nội dung chưa gửi</th></tr></thead>
<tbody>{{range $i, $a := .Outstanding}}<tr data-outstanding="{{.Code}}"><td>{{seq $i}}</td><td>{{.Code}}</td><td>{{nameOr .Name "(không có trong danh bạ)"}}</td><td>{{range $j, $x := missingParts $s $a}}{{if $j}}, {{end}}{{$x}}{{end}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>Tất cả đơn vị được đề nghị đã gửi nội dung.</p>{{end}}
</section>
{{end}}{{template "foot"}}{{end}}
`

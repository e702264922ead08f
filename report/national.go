package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// The national report: the Government Office's roll-up of every province's
// dossiers (Biểu 06's columns 3–13), one row per province and a national
// total, from the view province_dossier_form over the national database
// (the projection of the stream that sources every province's). Its figures
// are those of each province's own report: a province's row sums the same
// dossier_totals rows its own Biểu 06 does. Citizen feedback and plan tasks
// follow by province of today (province_feedback, province_tasks).

// National is the kind name of the national report's files:
// <out>/national/<period>-<cutoff>.<format>.
const National Kind = "national"

// ProvinceForm is one province's dossier figures in the national report.
type ProvinceForm struct {
	Province string // the province token, H23
	Name     string // "Ủy ban nhân dân thành phố Hải Phòng"
	Form
}

// NationalData are the national report's figures for a period: by province
// as the provinces were at the period's end (Then), and as they are now
// (Now: a merged province's earlier periods under the one that absorbed
// it, for comparisons across the 2025 merges), each sorted by name.
type NationalData struct {
	Period Period
	Then   []ProvinceForm
	Now    []ProvinceForm
	Total  Form
	// Feedback and Tasks are by province of today, sorted by name, with
	// their national totals.
	Feedback      []ProvinceFeedback
	FeedbackTotal Feedback
	Tasks         []ProvinceTasks
	TasksTotal    Tasks
}

// ProvinceFeedback is one province's citizen feedback in the national
// report.
type ProvinceFeedback struct {
	Province, Name string
	Feedback
}

// ProvinceTasks is one province's plan tasks (every plan's, by the
// province of the lead agency) in the national report; Plan… are empty.
type ProvinceTasks struct {
	Province, Name string
	Tasks
}

// LoadNational reads the national figures of period p from database db.
func LoadNational(ctx context.Context, st store.Store, db string, p Period) (*NationalData, error) {
	q := querier(ctx, st, db)
	d := &NationalData{Period: p}
	sums := `sum(received_total) AS received_total, sum(received_online) AS received_online, sum(received_offline) AS received_offline,
		sum(carried_over) AS carried_over, sum(resolved_total) AS resolved_total, sum(resolved_early) AS resolved_early,
		sum(resolved_on_time) AS resolved_on_time, sum(resolved_late) AS resolved_late, sum(in_progress_total) AS in_progress_total,
		sum(in_progress_within_due) AS in_progress_within_due, sum(in_progress_overdue) AS in_progress_overdue`
	for _, by := range []struct {
		col  string
		into *[]ProvinceForm
	}{{"then", &d.Then}, {"now", &d.Now}} {
		rs, err := q(`SELECT province_` + by.col + ` AS p, any(province_` + by.col + `_name) AS pname, ` + sums + `
			FROM {db}.province_dossier_form WHERE ` + p.where() + ` GROUP BY province_` + by.col)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			*by.into = append(*by.into, ProvinceForm{Province: r.str("p"), Name: r.str("pname"), Form: r.form()})
		}
		slices.SortFunc(*by.into, func(a, b ProvinceForm) int {
			return strings.Compare(provinceKey(a.Name, a.Province), provinceKey(b.Name, b.Province))
		})
	}
	for _, f := range d.Then {
		d.Total.Add(f.Form)
	}
	if len(d.Then) == 0 {
		return nil, fmt.Errorf("report: %w: %s in database %s: no province's dossiers; is the national projector running on the national stream?", ErrNoEvents, p.Label(), db)
	}
	rs, err := q(`SELECT province_now AS p, any(province_now_name) AS pname, sum(received_new) AS new, sum(carried_over) AS carried,
		sum(completed) AS done, sum(in_progress) AS open, sum(in_progress_within_due) AS within, sum(in_progress_overdue) AS overdue,
		sum(published) AS pub
		FROM {db}.province_feedback WHERE ` + p.where() + ` GROUP BY province_now`)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		f := Feedback{New: r.int("new"), CarriedOver: r.int("carried"), Completed: r.int("done"), InProgress: r.int("open"),
			WithinDue: r.int("within"), Overdue: r.int("overdue"), Published: r.int("pub")}
		d.Feedback = append(d.Feedback, ProvinceFeedback{Province: r.str("p"), Name: r.str("pname"), Feedback: f})
		d.FeedbackTotal.add(f)
	}
	slices.SortFunc(d.Feedback, func(a, b ProvinceFeedback) int {
		return strings.Compare(provinceKey(a.Name, a.Province), provinceKey(b.Name, b.Province))
	})
	rs, err = q(`SELECT province_now AS p, any(province_now_name) AS pname, sum(assigned) AS a, sum(completed) AS c,
		sum(completed_on_time) AS ot, sum(completed_late) AS l, sum(in_progress) AS ip, sum(in_progress_within_deadline) AS wd,
		sum(in_progress_overdue) AS od, sum(recurring) AS rec
		FROM {db}.province_tasks WHERE ` + p.where() + ` GROUP BY province_now`)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		t := Tasks{Assigned: r.int("a"), Completed: r.int("c"), OnTime: r.int("ot"), Late: r.int("l"), InProgress: r.int("ip"),
			WithinDeadline: r.int("wd"), Overdue: r.int("od"), Recurring: r.int("rec")}
		d.Tasks = append(d.Tasks, ProvinceTasks{Province: r.str("p"), Name: r.str("pname"), Tasks: t})
		d.TasksTotal.add(t)
	}
	slices.SortFunc(d.Tasks, func(a, b ProvinceTasks) int {
		return strings.Compare(provinceKey(a.Name, a.Province), provinceKey(b.Name, b.Province))
	})
	return d, nil
}

func (f *Feedback) add(g Feedback) {
	f.New += g.New
	f.CarriedOver += g.CarriedOver
	f.Completed += g.Completed
	f.InProgress += g.InProgress
	f.WithinDue += g.WithinDue
	f.Overdue += g.Overdue
	f.Published += g.Published
}

func (t *Tasks) add(u Tasks) {
	t.Assigned += u.Assigned
	t.Completed += u.Completed
	t.OnTime += u.OnTime
	t.Late += u.Late
	t.InProgress += u.InProgress
	t.WithinDeadline += u.WithinDeadline
	t.Overdue += u.Overdue
	t.Recurring += u.Recurring
}

// provinceKey orders a province's rows by its name, then its token.
func provinceKey(name, province string) string { return provinceName(name) + "\x00" + province }

// BuildNational is the national report's document: Biểu 06 by province at
// the period's end with the national total, and, when a merge moved a
// province since, the same by the provinces of today.
func BuildNational(d *NationalData) *Document {
	l := DefaultForms()[FormDossiers]
	head := &FormHead{
		Key: l.Key, Code: l.Code, Issued: l.Issued, Title: l.Title + " CỦA CÁC TỈNH, THÀNH PHỐ", Unit: l.Unit,
		Lines: []string{
			"Đơn vị báo cáo: Văn phòng Chính phủ (tổng hợp từ hệ thống của các tỉnh, thành phố)",
			fmt.Sprintf("Kỳ báo cáo: %s (%s)", d.Period.Label(), capitalise(periodDates(d.Period))),
		},
	}
	header := formHeader("Tỉnh, thành phố")
	table := func(name, caption string, rows []ProvinceForm, withHead bool) *Table {
		var out [][]Cell
		for i, r := range rows {
			out = append(out, formCells(fmt.Sprint(i+1), cmpOr(provinceDisplay(r.Name), r.Province), r.Form))
		}
		out = append(out, boldRow(formCells("", "Toàn quốc", d.Total)))
		t := &Table{Name: name, Caption: caption, Header: header, Rows: out}
		if withHead {
			t.Form, t.Caption = head, strings.ToUpper(head.Title)
		}
		return t
	}
	doc := &Document{
		Kind:      National,
		Period:    d.Period,
		Issuer:    "VĂN PHÒNG CHÍNH PHỦ",
		Place:     "Hà Nội",
		Date:      fmt.Sprintf("ngày    tháng    năm %d", d.Period.End().Year()),
		Title:     "BÁO CÁO",
		Subject:   "Tổng hợp tình hình, kết quả giải quyết thủ tục hành chính của các tỉnh, thành phố " + lowerFirst(d.Period.Label()),
		Recipient: "Kính gửi: Thủ tướng Chính phủ",
		Intro: fmt.Sprintf("Văn phòng Chính phủ tổng hợp số liệu giải quyết thủ tục hành chính %s của %d tỉnh, thành phố từ hệ thống thông tin giải quyết thủ tục hành chính của từng địa phương, như sau:",
			periodDates(d.Period), len(d.Then)),
	}
	sections := []Section{{Key: "by_province", Heading: "I. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC THEO TỈNH, THÀNH PHỐ", Level: 1, Blocks: []Block{
		Paragraph(fmt.Sprintf("Toàn quốc tiếp nhận %s hồ sơ (%s hồ sơ trực tuyến, %s hồ sơ trực tiếp và qua bưu chính, %s hồ sơ kỳ trước chuyển qua); đã giải quyết %s hồ sơ, đang giải quyết %s hồ sơ.",
			Int(d.Total.ReceivedTotal), Int(d.Total.ReceivedOnline), Int(d.Total.ReceivedOffline), Int(d.Total.CarriedOver),
			Int(d.Total.ResolvedTotal), Int(d.Total.InProgressTotal))),
		table("Theo tỉnh", "", d.Then, true),
	}}}
	if !sameProvinces(d.Then, d.Now) {
		sections = append(sections, Section{Key: "by_province_now", Heading: "II. THEO ĐƠN VỊ HÀNH CHÍNH CẤP TỈNH HIỆN NAY", Level: 1, Blocks: []Block{
			Paragraph("Số liệu của các tỉnh đã hợp nhất được cộng vào tỉnh, thành phố sau hợp nhất, để so sánh với các kỳ sau."),
			table("Theo tỉnh hiện nay", "Tình hình, kết quả giải quyết TTHC theo tỉnh, thành phố hiện nay", d.Now, false),
		}})
	}
	if len(d.Feedback) > 0 {
		t := &Table{Name: "Phản ánh theo tỉnh", Caption: "Tình hình, kết quả tiếp nhận, xử lý phản ánh, kiến nghị theo tỉnh, thành phố hiện nay",
			Header: grouped(columns(alone("STT", "Tỉnh, thành phố", "Tiếp nhận mới", "Kỳ trước chuyển sang", "Đã hoàn thành"),
				under("Đang xử lý", "Tổng số", "Trong hạn", "Quá hạn"), alone("Đã công khai"))...)}
		feedbackRow := func(n, name string, f Feedback) []Cell {
			return []Cell{text(n), text(name), num(f.New), num(f.CarriedOver), num(f.Completed), num(f.InProgress), num(f.WithinDue), num(f.Overdue), num(f.Published)}
		}
		for i, r := range d.Feedback {
			t.Rows = append(t.Rows, feedbackRow(fmt.Sprint(i+1), cmpOr(provinceDisplay(r.Name), r.Province), r.Feedback))
		}
		t.Rows = append(t.Rows, boldRow(feedbackRow("", "Toàn quốc", d.FeedbackTotal)))
		f := d.FeedbackTotal
		sections = append(sections, Section{Key: "feedback_by_province", Heading: roman(len(sections)+1) + ". PHẢN ÁNH, KIẾN NGHỊ THEO TỈNH, THÀNH PHỐ", Level: 1, Blocks: []Block{
			Paragraph(fmt.Sprintf("Toàn quốc tiếp nhận mới %s phản ánh, kiến nghị (%s kỳ trước chuyển sang); đã hoàn thành %s, đang xử lý %s (%s quá hạn).",
				Int(f.New), Int(f.CarriedOver), Int(f.Completed), Int(f.InProgress), Int(f.Overdue))),
			t,
		}})
	}
	if len(d.Tasks) > 0 {
		t := &Table{Name: "Nhiệm vụ theo tỉnh", Caption: "Tình hình thực hiện nhiệm vụ theo kế hoạch theo tỉnh, thành phố hiện nay",
			Header: grouped(columns(alone("STT", "Tỉnh, thành phố", "Nhiệm vụ được giao"),
				under("Đã hoàn thành", "Tổng số", "Đúng hạn", "Quá hạn"),
				under("Đang thực hiện", "Tổng số", "Trong hạn", "Quá hạn"), alone("Nhiệm vụ thường xuyên"))...)}
		taskRow := func(n, name string, p Tasks) []Cell {
			return []Cell{text(n), text(name), num(p.Assigned), num(p.Completed), num(p.OnTime), num(p.Late),
				num(p.InProgress), num(p.WithinDeadline), num(p.Overdue), num(p.Recurring)}
		}
		for i, r := range d.Tasks {
			t.Rows = append(t.Rows, taskRow(fmt.Sprint(i+1), cmpOr(provinceDisplay(r.Name), r.Province), r.Tasks))
		}
		t.Rows = append(t.Rows, boldRow(taskRow("", "Toàn quốc", d.TasksTotal)))
		k := d.TasksTotal
		sections = append(sections, Section{Key: "tasks_by_province", Heading: roman(len(sections)+1) + ". THỰC HIỆN NHIỆM VỤ THEO TỈNH, THÀNH PHỐ", Level: 1, Blocks: []Block{
			Paragraph(fmt.Sprintf("Các tỉnh, thành phố được giao %s nhiệm vụ theo kế hoạch; đã hoàn thành %s (%s quá hạn), đang thực hiện %s (%s quá hạn).",
				Int(k.Assigned), Int(k.Completed), Int(k.Late), Int(k.InProgress), Int(k.Overdue))),
			t,
		}})
	}
	doc.Sections = sections
	doc.Closing = "Trên đây là tổng hợp tình hình, kết quả giải quyết thủ tục hành chính của các tỉnh, thành phố " + lowerFirst(d.Period.Label()) + "."
	doc.Recipients = []string{"Như trên;", "Lưu: VT, KSTT."}
	doc.Signature = []string{"BỘ TRƯỞNG, CHỦ NHIỆM"}
	return doc
}

func sameProvinces(a, b []ProvinceForm) bool {
	return slices.EqualFunc(a, b, func(x, y ProvinceForm) bool { return x.Province == y.Province && x.Form == y.Form })
}

// provinceDisplay is "Thành phố Hải Phòng" from the directory's "Ủy ban nhân
// dân thành phố Hải Phòng".
func provinceDisplay(name string) string {
	if s, ok := strings.CutPrefix(name, "Ủy ban nhân dân "); ok {
		return capitalise(s)
	}
	return name
}

// GenerateNational reads the national figures of r.Period from db and
// writes the national report in r's formats to
// r.Dir/national/<period>-<cutoff>.<format>; r.Kind is not read.
func GenerateNational(ctx context.Context, st store.Store, db string, r Request) ([]File, error) {
	if _, err := schema.Refresh(ctx, st, db, false); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	d, err := LoadNational(ctx, st, db, r.Period)
	if err != nil {
		return nil, err
	}
	doc := BuildNational(d)
	doc.AsOf = r.AsOf
	var files []File
	for _, format := range r.Formats {
		var buf bytes.Buffer
		if err := renderers[format](&buf, doc); err != nil {
			return files, fmt.Errorf("report: %s: %w", format, err)
		}
		rel := fmt.Sprintf("%s/%s-%s.%s", National, r.Period, r.Period.Cutoff, format)
		path := filepath.Join(r.Dir, filepath.FromSlash(rel))
		old, err := os.ReadFile(path)
		changed := err != nil || !bytes.Equal(old, buf.Bytes())
		if changed {
			if err := writeFileAtomic(path, buf.Bytes()); err != nil {
				return files, err
			}
		}
		sum := sha256.Sum256(buf.Bytes())
		files = append(files, File{Format: format, Path: rel, Bytes: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:]), Changed: changed})
	}
	return files, nil
}

// lowerFirst lowers the first letter: "Quý II/2024" → "quý II/2024".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

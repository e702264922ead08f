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
// dossier_totals rows its own Biểu 06 does.

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
			return strings.Compare(provinceSortKey(a), provinceSortKey(b))
		})
	}
	for _, f := range d.Then {
		d.Total.Add(f.Form)
	}
	if len(d.Then) == 0 {
		return nil, fmt.Errorf("report: %w: %s in database %s: no province's dossiers; is the national projector running on the national stream?", ErrNoEvents, p.Label(), db)
	}
	return d, nil
}

func provinceSortKey(f ProvinceForm) string { return provinceName(f.Name) + "\x00" + f.Province }

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

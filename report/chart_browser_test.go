package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/baocao/baocao/internal/browsertest"
	"github.com/baocao/baocao/report"
)

// labelChart is the rates chart of a KSTTHC report with the longest
// indicator names a province writes, and results just under their targets,
// where a target's tick falls on the value written after the bar.
func labelChart() *report.Chart {
	c := &report.Chart{Title: "Kết quả các chỉ tiêu so với kế hoạch", Unit: "%", Series: []report.Series{{Name: "Kết quả"}}}
	for _, r := range []struct {
		label         string
		value, target float64
	}{
		{"Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", 97.9, 100},
		{"Tỷ lệ hồ sơ giải quyết trước và đúng hạn", 95.4, 90},
		{"Tỷ lệ hồ sơ trực tuyến", 49.1, 50},
		{"Tỷ lệ dịch vụ công trực tuyến toàn trình trên số TTHC đủ điều kiện", 84.9, 80},
		{"Tỷ lệ hồ sơ giải quyết thủ tục hành chính được số hóa, cấp kết quả điện tử và khai thác, sử dụng lại dữ liệu số hóa của các cơ quan, đơn vị cấp tỉnh, cấp huyện và cấp xã", 44.5, 45},
		{"Mức độ hài lòng của người dân, doanh nghiệp", 100, 100},
	} {
		c.Categories = append(c.Categories, r.label)
		c.Series[0].Values = append(c.Series[0].Values, r.value)
		c.Targets = append(c.Targets, r.target)
	}
	return c
}

// chartProblems measures the charts in the browser: every text's box
// inside its SVG's, the categories' names clear of each other, no value's
// box crossing a target's tick.
const chartProblems = `JSON.stringify((() => {
  const out = [];
  for (const svg of document.querySelectorAll("figure.chart svg")) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 || r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom)
        out.push("outside the chart: " + t.textContent + " " + JSON.stringify([r.left, r.right, box.left, box.right]));
    }
    const names = [...svg.querySelectorAll("text[text-anchor='end']")];
    for (let i = 1; i < names.length; i++) {
      const a = names[i-1].getBoundingClientRect(), b = names[i].getBoundingClientRect();
      if (a.bottom > b.top) out.push("overlapping names: " + names[i-1].textContent + " / " + names[i].textContent);
    }
    const ticks = [...svg.querySelectorAll("rect[fill='#c0392b']")].slice(1).map(e => e.getBoundingClientRect());
    for (const t of svg.querySelectorAll("text[font-size='11']")) {
      const r = t.getBoundingClientRect();
      for (const m of ticks)
        if (r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom) out.push("under a target: " + t.textContent);
    }
  }
  return out;
})())`

// The charts' texts are whole in the browser: long Vietnamese indicator
// names wrap instead of being cut, every text lies inside the chart, and a
// value just under its target is written clear of the target's tick. The
// page also looks as its golden screenshot (testdata; -update rewrites it).
func TestChartLabelsWhole(t *testing.T) {
	c := labelChart()
	p, _ := report.ParsePeriod("2024-Q2", report.Official)
	doc := &report.Document{Kind: report.ProcedureControl, Period: p, Title: "BÁO CÁO", Subject: "Biểu đồ",
		Sections: []report.Section{{Key: "results", Level: 1, Heading: "I. KẾT QUẢ", Blocks: []report.Block{c}}}}
	path := filepath.Join(t.TempDir(), "chart.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.HTML(f, doc); err != nil {
		t.Fatal(err)
	}
	f.Close()
	page := browsertest.Load(t, path)
	var problems []string
	if err := json.Unmarshal([]byte(page.Eval(chartProblems)), &problems); err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	// each text's lines (tspan) joined by a space: what a reader reads
	var texts []string
	if err := json.Unmarshal([]byte(page.Eval(`JSON.stringify(Array.from(document.querySelectorAll("figure.chart svg text"),
		t => t.children.length ? Array.from(t.children, s => s.textContent).join(" ") : t.textContent))`)), &texts); err != nil {
		t.Fatal(err)
	}
	for _, cat := range c.Categories {
		if !slices.Contains(texts, cat) {
			t.Errorf("the chart does not write %q whole; its texts are %q", cat, texts)
		}
	}
	browsertest.MatchGolden(t, page.Screenshot(), filepath.Join("testdata", "chart-labels.png"), *update)
}

package browsertest

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// goldenWidth is the width of a golden image. A screenshot reduced to it is
// small enough to commit, tens of KB, and the averaging hides differences of
// single pixels, such as font hinting, while a moved or missing block of the
// page still shows.
const goldenWidth = 320

// The limits of compareGolden, as fractions: of the golden's height, and of
// 255 for the mean absolute difference of the pixels that both images have.
const (
	maxHeightDiff = 0.03
	maxMeanDiff   = 0.02
)

// MatchGolden fails the test unless the screenshot got, reduced with Reduce,
// looks like the golden PNG file: their heights differ by at most 3 % and
// their pixels by at most 2 % of 255 on average. On a failure, it writes the
// reduced screenshot to golden + ".actual.png" to look at. With update, it
// writes the reduced screenshot to golden instead.
func MatchGolden(t testing.TB, got image.Image, golden string, update bool) {
	t.Helper()
	if update {
		if err := writeGolden(got, golden); err != nil {
			t.Fatalf("browsertest: %v", err)
		}
		t.Logf("browsertest: wrote %s", golden)
		return
	}
	if err := compareGolden(got, golden); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// Reduce returns img in gray, width pixels wide and as high as keeps its
// proportions, each pixel the mean of the box of img's pixels it covers.
func Reduce(img image.Image, width int) *image.Gray {
	b := img.Bounds()
	if b.Empty() || width <= 0 {
		return image.NewGray(image.Rect(0, 0, 0, 0))
	}
	height := max(1, int(math.Round(float64(b.Dy())*float64(width)/float64(b.Dx()))))
	out := image.NewGray(image.Rect(0, 0, width, height))

	// The gray of each source pixel, once, as the boxes of a row of out
	// would otherwise convert it again.
	gray := make([]uint8, b.Dx())
	sums := make([]uint32, width)
	for y := range height {
		y0, y1 := span(y, height, b.Dy())
		clear(sums)
		for sy := y0; sy < y1; sy++ {
			for sx := range gray {
				gray[sx] = color.GrayModel.Convert(img.At(b.Min.X+sx, b.Min.Y+sy)).(color.Gray).Y
			}
			for x := range width {
				x0, x1 := span(x, width, b.Dx())
				for _, g := range gray[x0:x1] {
					sums[x] += uint32(g)
				}
			}
		}
		for x := range width {
			x0, x1 := span(x, width, b.Dx())
			n := uint32((x1 - x0) * (y1 - y0))
			out.Pix[y*out.Stride+x] = uint8((sums[x] + n/2) / n)
		}
	}
	return out
}

// span returns the source pixels [lo, hi) that pixel i of n covers when src
// pixels are reduced to n; at least one, so that enlarging works too.
func span(i, n, src int) (lo, hi int) {
	lo = i * src / n
	hi = max(lo+1, (i+1)*src/n)
	return lo, hi
}

// writeGolden writes got, reduced, to the file golden, and removes the
// actual image of an earlier mismatch, which it replaces.
func writeGolden(got image.Image, golden string) error {
	if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
		return err
	}
	if err := writePNG(golden, Reduce(got, goldenWidth)); err != nil {
		return err
	}
	return removeActual(golden)
}

func removeActual(golden string) error {
	err := os.Remove(golden + ".actual.png")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// compareGolden is MatchGolden without the testing.TB, so that its failures
// can be tested: it returns the reason the screenshot does not match.
func compareGolden(got image.Image, golden string) error {
	actual := golden + ".actual.png"
	reduced := Reduce(got, goldenWidth)

	f, err := os.Open(golden)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("golden %s is missing; run the test with -update to write it", golden)
	}
	if err != nil {
		return err
	}
	want, err := png.Decode(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("golden %s: %v", golden, err)
	}
	wb := want.Bounds()
	if wb.Dx() != goldenWidth {
		return fmt.Errorf("golden %s is %d px wide, want %d; run the test with -update to rewrite it", golden, wb.Dx(), goldenWidth)
	}

	gotH, wantH := reduced.Bounds().Dy(), wb.Dy()
	heightDiff := math.Abs(float64(gotH-wantH)) / float64(wantH)
	var sum float64
	overlap := min(gotH, wantH)
	for y := range overlap {
		for x := range goldenWidth {
			w := color.GrayModel.Convert(want.At(wb.Min.X+x, wb.Min.Y+y)).(color.Gray).Y
			sum += math.Abs(float64(reduced.GrayAt(x, y).Y) - float64(w))
		}
	}
	meanDiff := sum / float64(overlap*goldenWidth) / 255

	if heightDiff <= maxHeightDiff && meanDiff <= maxMeanDiff {
		return removeActual(golden)
	}
	if err := writePNG(actual, reduced); err != nil {
		return err
	}
	return fmt.Errorf("screenshot does not match golden %s: height %d px against %d px, %.1f %% apart (limit %.0f %%); "+
		"mean pixel difference %.1f %% of 255 (limit %.0f %%); the reduced screenshot is in %s; "+
		"if the change is intended, run the test with -update",
		golden, gotH, wantH, 100*heightDiff, 100*maxHeightDiff, 100*meanDiff, 100*maxMeanDiff, actual)
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

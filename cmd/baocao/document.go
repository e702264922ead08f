package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/baocao/baocao/report"
)

// documentOptions are the province's outlines and the header and footer of
// its reports (--document-*), shared by report, schedule, up and serve. In
// the config file they sit under "document:", a kind's under its name:
//
//	document:
//	  number: "Số:      /BC-UBND"
//	  signer: {title: [TM. ỦY BAN NHÂN DÂN, CHỦ TỊCH], name: Nguyễn Văn A}
//	  reform:
//	    outline: /etc/baocao/reform.yaml
//	    basis: [Công văn số 581/BNV-CCHC ngày 21/02/2022 của Bộ Nội vụ]
type documentOptions struct {
	number, issuer, place, date, signerName, empty string
	forms                                          string
	signer                                         []string
	kinds                                          map[report.Kind]*kindDocument
}

// kindDocument are the settings of one report kind.
type kindDocument struct {
	outline, recipient string
	basis, copies      []string
	monthlyBasis       []string
}

func (do *documentOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&do.number, "document-number", report.DefaultNumber, "the report's number line")
	f.StringVar(&do.issuer, "document-issuer", "", "the issuing body at the top left (default ỦY BAN NHÂN DÂN and the province, from the agency directory)")
	f.StringVar(&do.place, "document-place", "", "the place before the date (default the province's name)")
	f.StringVar(&do.date, "document-date", report.DefaultDate, "the date after the place; {year} is the period's year")
	f.StringArrayVar(&do.signer, "document-signer-title", report.DefaultSigner, "the signing block's title lines, one per use of the flag (a list in the config file)")
	f.StringVar(&do.signerName, "document-signer-name", "", "the signer's name under the signing block")
	f.StringVar(&do.empty, "document-empty", report.DefaultEmpty, "the line under a section only contributions fill while it has none (\"\": the heading alone)")
	f.StringVar(&do.forms, "document-forms", "", "the province's corrections of the official forms' layouts (codes, titles, column headings), a YAML file; the forms it gives replace the embedded ones (see report/forms/forms.yaml)")
	do.kinds = map[report.Kind]*kindDocument{}
	for _, k := range []report.Kind{report.Reform, report.ProcedureControl} {
		def := report.DefaultLayout(k)
		kd := &kindDocument{}
		do.kinds[k] = kd
		prefix := "document-" + strings.ReplaceAll(string(k), "_", "-") + "-"
		f.StringVar(&kd.outline, prefix+"outline", "", "the province's own outline of the "+string(k)+" report, a YAML file (default the embedded one; see report/outlines)")
		f.StringVar(&kd.recipient, prefix+"recipient", def.Recipient, "whom the "+string(k)+" report is sent to (Kính gửi)")
		f.StringArrayVar(&kd.basis, prefix+"basis", def.Basis, "documents the "+string(k)+" report's opening cites (Thực hiện …), one per use of the flag")
		if slices.Contains(report.Kinds[k], report.Month) {
			f.StringArrayVar(&kd.monthlyBasis, prefix+"monthly-basis", def.MonthlyBasis, "documents the monthly "+string(k)+" report's opening cites instead, one per use of the flag")
		}
		f.StringArrayVar(&kd.copies, prefix+"copies", def.Copies, "Nơi nhận of the "+string(k)+" report, one line per use of the flag")
	}
}

// layouts reads the outline files and checks the texts.
func (do *documentOptions) layouts() (report.Layouts, error) {
	out := report.Layouts{}
	var forms report.Forms
	if do.forms != "" {
		var err error
		if forms, err = report.LoadForms(do.forms); err != nil {
			return nil, fmt.Errorf("--document-forms: %w", err)
		}
	}
	for k, kd := range do.kinds {
		l := report.Layout{Number: do.number, Issuer: do.issuer, Place: do.place, Date: do.date, Signer: do.signer,
			SignerName: do.signerName, Empty: do.empty, Recipient: kd.recipient, Basis: kd.basis, MonthlyBasis: kd.monthlyBasis, Copies: kd.copies, Forms: forms}
		if kd.outline == "" {
			l.Outline = report.DefaultOutline(k)
		} else {
			o, err := report.LoadOutline(k, kd.outline)
			if err != nil {
				return nil, err
			}
			l.Outline = o
		}
		if err := l.Check(); err != nil {
			return nil, fmt.Errorf("--document-* settings of %s: %w", k, err)
		}
		out[k] = l
	}
	return out, nil
}

package fpp

import (
	"slices"
	"testing"
)

func TestNewestFirst_NumericIDsByValueOtherwiseReverseListOrder(t *testing.T) {
	tests := []struct {
		name string
		ids  []string
		want []string
	}{
		{"numeric ids, highest first", []string{"9", "10", "2"}, []string{"10", "9", "2"}},
		{"numeric ids already ascending", []string{"1", "2", "3"}, []string{"3", "2", "1"}},
		{"one id not a number", []string{"7", "job-10", "8"}, []string{"8", "job-10", "7"}},
		{"negative id is not a whole number", []string{"3", "-1", "2"}, []string{"2", "-1", "3"}},
		{"none", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var jobs []Job
			for _, id := range tt.ids {
				jobs = append(jobs, Job{ID: id})
			}
			got := []string{}
			for _, j := range newestFirst(jobs) {
				got = append(got, j.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("newestFirst(%v) = %v, want %v", tt.ids, got, tt.want)
			}
			for i, j := range jobs {
				if j.ID != tt.ids[i] {
					t.Fatalf("newestFirst reordered its argument: %v", jobs)
				}
			}
		})
	}
}

func TestImportsImage_OnlyImportOperationsOfThatImage(t *testing.T) {
	tests := []struct {
		op   string
		want bool
	}{
		{"importIntoImage{image=DB_Image1, schedule=2018-06-14T15:42:38Z, path=/oracle/dbwc1}", true},
		{"importImage{image=DB_Image1}", true},
		{"importIntoImage{image=DB_Image10, path=/oracle/dbwc1}", false},
		{"importIntoImage{image=DB_Image, path=/oracle/dbwc1}", false},
		{"addWorkingCopy{image=DB_Image1, workingCopy=wc1}", false},
		{"", false},
	}
	for _, tt := range tests {
		job := Job{Operation: tt.op, ImageName: operationImage(tt.op)}
		if got := importsImage(job, "DB_Image1"); got != tt.want {
			t.Errorf("importsImage(%q, DB_Image1) = %v, want %v", tt.op, got, tt.want)
		}
	}
}

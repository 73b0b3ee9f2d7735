package pipeline

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse_FanOutStepWithOverrides(t *testing.T) {
	spec, err := Parse("fan.yaml", []byte(`name: fan
on_failure: rollback
concurrency: {huawei: 2}
steps:
  - id: copy
    uses: huawei.copy_image
    for_each:
      - {region: eu, name: gold-eu}
      - {region: ap, name: gold-ap}
    max_parallel: 1
    timeout: 3h
    retry: {max_attempts: 5, initial_interval: 2s, max_interval: 1m}
    with:
      image_id: src
      name: ${{ item.name }}
      description: copy for ${{ item.region }} on ${{ run.date }}
`))
	if err != nil {
		t.Fatal(err)
	}
	st := spec.Steps[0]
	if spec.OnFailure != OnFailureRollback || spec.Concurrency["huawei"] != 2 {
		t.Errorf("spec policies = %q %v", spec.OnFailure, spec.Concurrency)
	}
	if len(st.ForEach) != 2 || st.MaxParallel != 1 || st.Timeout.D() != 3*time.Hour {
		t.Errorf("step = %+v", st)
	}
	if st.Retry == nil || st.Retry.MaxAttempts != 5 || st.Retry.InitialInterval.D() != 2*time.Second || st.Retry.MaxInterval.D() != time.Minute {
		t.Errorf("retry = %+v", st.Retry)
	}
	got, err := Resolve(st.With, Scope{Item: st.ForEach[1], Run: map[string]string{"date": "20261124"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"image_id": "src", "name": "gold-ap", "description": "copy for ap on 20261124"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve item 1 = %v, want %v", got, want)
	}
}

func TestParse_FanOutAndPolicyMistakesAreLocated(t *testing.T) {
	_, err := Parse("bad.yaml", []byte(`name: bad
on_failure: undo
concurrency: {aws: 2, huawei: 0}
steps:
  - id: copy
    uses: huawei.copy_image
    for_each: [a, {name: b}]
    timeout: soon
    retry: {initial_interval: 1m, max_interval: 1s}
    with:
      image_id: src
      name: ${{ item.name }}
  - id: plain
    uses: huawei.copy_image
    with: {image_id: src, name: "${{ item }}"}
`))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v", err)
	}
	text := err.Error()
	for _, want := range []string{
		`bad.yaml:2:1: on_failure: "undo": use stop or rollback`,
		`bad.yaml:3:15: concurrency.aws: unknown vendor`,
		`bad.yaml:3:23: concurrency.huawei: must be at least 1`,
		`step "copy": timeout: duration "soon": write it as 90s, 45m or 24h`,
		`step "copy": retry: initial_interval 1m0s is longer than max_interval 1s`,
		`step "copy": with.name: ${{ item.name }} needs a mapping with key "name", but for_each[0] is not`,
		`step "plain": with.name: ${{ item }} is only defined in a step with for_each`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}

package testenv

import (
	"context"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// HistoryText is every string and byte field of the histories of workflow
// id and of every child workflow it started, by workflow ID: payloads
// (inputs and results as JSON bytes), failure messages, headers and memos
// alike, so a scan for leaked credentials sees what the histories hold.
func HistoryText(ctx context.Context, c client.Client, id string) (map[string]string, error) {
	out := map[string]string{}
	queue := []string{id}
	for len(queue) > 0 {
		wid := queue[0]
		queue = queue[1:]
		if _, seen := out[wid]; seen {
			continue
		}
		var b strings.Builder
		it := c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("history of %s: %w", wid, err)
			}
			MessageText(ev.ProtoReflect(), &b)
			b.WriteByte('\n')
			if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil {
				queue = append(queue, a.GetWorkflowExecution().GetWorkflowId())
			}
		}
		out[wid] = b.String()
	}
	return out, nil
}

// MessageText writes every string and byte field of m to b, recursively.
func MessageText(m protoreflect.Message, b *strings.Builder) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			for i := range v.List().Len() {
				valueText(fd, v.List().Get(i), b)
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				b.WriteString(k.String())
				b.WriteByte(' ')
				valueText(fd.MapValue(), mv, b)
				return true
			})
		default:
			valueText(fd, v, b)
		}
		return true
	})
}

func valueText(fd protoreflect.FieldDescriptor, v protoreflect.Value, b *strings.Builder) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		MessageText(v.Message(), b)
	case protoreflect.StringKind:
		b.WriteString(v.String())
	case protoreflect.BytesKind:
		b.Write(v.Bytes())
	default:
		return
	}
	b.WriteByte(' ')
}

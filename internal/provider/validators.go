package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// stringValidator checks a string that is set and known: check returns the
// error's title and detail, or an empty title when the value is valid.
type stringValidator struct {
	description string
	check       func(at path.Path, value string) (title, detail string)
}

func (v stringValidator) Description(context.Context) string { return v.description }

func (v stringValidator) MarkdownDescription(context.Context) string { return v.description }

func (v stringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if title, detail := v.check(req.Path, req.ConfigValue.ValueString()); title != "" {
		resp.Diagnostics.AddAttributeError(req.Path, title, detail)
	}
}

// durationValidator accepts a positive Go duration string such as "90s".
var durationValidator = stringValidator{
	description: "value must be a positive duration such as \"90s\" or \"2m\"",
	check: func(at path.Path, s string) (string, string) {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return "Invalid duration", fmt.Sprintf("%s must be a positive duration with a unit, such as \"90s\" or \"2m\"; got %q.", at, s)
		}
		return "", ""
	},
}

// confidenceLevelValidator accepts a level strictly between 0 and 1.
type confidenceLevelValidator struct{}

func (confidenceLevelValidator) Description(context.Context) string {
	return "value must be strictly between 0 and 1, such as 0.95"
}

func (v confidenceLevelValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (confidenceLevelValidator) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := stats.ValidateConfidenceLevel(req.ConfigValue.ValueFloat64()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid confidence level", err.Error())
	}
}

// projectIDValidator refuses an empty or blank project_id at plan time: a
// project ID set to nothing is a mistake (an empty variable, a missing
// secret), not a request for the classic routes.
var projectIDValidator = stringValidator{
	description: "value must be a HoneyHive project ID, not empty",
	check: func(at path.Path, s string) (string, string) {
		if strings.TrimSpace(s) != "" {
			return "", ""
		}
		return "Empty HoneyHive project ID", fmt.Sprintf("%s is set but empty. Set it to the ID of the HoneyHive "+
			"project whose runs to read (%s), or remove it (the %s environment variable is then read).",
			at, honeyhive.ProjectIDWhere, honeyhive.EnvProjectID)
	},
}

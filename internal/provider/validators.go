package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// durationValidator accepts a positive Go duration string such as "90s".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "value must be a positive duration such as \"90s\" or \"2m\""
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s must be a positive duration with a unit, such as \"90s\" or \"2m\"; got %q.",
				req.Path, req.ConfigValue.ValueString()))
	}
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
type projectIDValidator struct{}

func (projectIDValidator) Description(context.Context) string {
	return "value must be a HoneyHive project ID, not empty"
}

func (v projectIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (projectIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Empty HoneyHive project ID",
			fmt.Sprintf("%s is set but empty. Set it to the ID of the HoneyHive project whose runs to read (%s), "+
				"or remove it (the %s environment variable is then read).",
				req.Path, honeyhive.ProjectIDWhere, honeyhive.EnvProjectID))
	}
}

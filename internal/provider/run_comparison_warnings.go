package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Warnings about a comparison whose two runs do not measure the same thing: a
// run compared with itself, no datapoint in common (a wrong baseline, another
// dataset), or runs on different datasets. Such a comparison is legitimate to
// read, so these are warnings; without them a gate meets only Terraform's
// "argument must not be null" on a statistic that nothing paired, deep in a
// condition.

// comparisonWarnings warns when the comparison is of a run with itself, when
// two runs that have datapoints share none, and, apart, when the runs' objects
// name different datasets. It reads the counts that CountExclusiveDatapoints
// has set.
func comparisonWarnings(c *models.RunComparisonResult, newRun, oldRun *models.ExperimentResultSummary) diag.Diagnostics {
	var diags diag.Diagnostics
	if c.NewRunID == c.OldRunID {
		diags.AddWarning(fmt.Sprintf("HoneyHive run %q is compared with itself", c.NewRunID),
			fmt.Sprintf("new_run_id and old_run_id are both %q: every difference is 0, so a gate on this comparison "+
				"passes whatever the run's results. Where a run ID is found rather than pinned (such as the newest "+
				"run of honeyhive_experiment_runs), refuse this in a precondition: "+
				"new_run_id != old_run_id.", c.NewRunID))
	}
	pair := fmt.Sprintf("The new run %q (new_run_id) and the old run %q (old_run_id)", c.NewRunID, c.OldRunID)
	// Where a run has no datapoint at all (a run just started), sharing none
	// says nothing of the baseline: the run's own warnings say why.
	if c.CommonDatapoints == 0 && c.NewOnlyDatapoints > 0 && c.OldOnlyDatapoints > 0 {
		diags.AddWarning(fmt.Sprintf("HoneyHive runs %q and %q share no datapoint", c.NewRunID, c.OldRunID),
			fmt.Sprintf("%s have no datapoint in common (common_datapoints is 0; the new run has %d datapoints of "+
				"its own, the old run %d). Nothing pairs: every metric's paired_count is 0, its mean_difference, "+
				"ci_lower and ci_upper are null and its verdict is insufficient_data, and difference, where "+
				"HoneyHive sends one, compares aggregates over different datapoints. Check old_run_id: the "+
				"baseline may be the wrong run, or a run on another dataset. A condition on a null statistic "+
				"fails with Terraform's \"argument must not be null\"; gate on common_datapoints > 0 first for a "+
				"message that says why.", pair, c.NewOnlyDatapoints, c.OldOnlyDatapoints))
	}
	newDataset, oldDataset := runDataset(newRun), runDataset(oldRun)
	if newDataset.differsFrom(oldDataset) {
		diags.AddWarning(fmt.Sprintf("HoneyHive runs %q and %q are on different datasets", c.NewRunID, c.OldRunID),
			fmt.Sprintf("%s were evaluated on different datasets: the new run on %s, the old run on %s. Their "+
				"scores are not comparable: the aggregates are over different questions, and only the datapoints "+
				"the two share (common_datapoints is %d) are paired. Check old_run_id: a baseline is a run on the "+
				"same dataset. To stop a deploy on this, compare the dataset_id of the two honeyhive_experiment_run "+
				"data sources in a precondition.", pair, newDataset, oldDataset, c.CommonDatapoints))
	}
	return diags
}

// dataset is what a run's object says of its dataset; empty where unknown.
type dataset struct {
	id, name string
}

func runDataset(s *models.ExperimentResultSummary) dataset {
	if s == nil || s.RunObject == nil {
		return dataset{}
	}
	var d dataset
	if s.RunObject.DatasetID != nil {
		d.id = *s.RunObject.DatasetID
	}
	if s.RunObject.DatasetName != nil {
		d.name = *s.RunObject.DatasetName
	}
	return d
}

// differsFrom says whether the two datasets are known to differ: by ID where
// both have one, else by name where both have one. Unknown is not different.
func (d dataset) differsFrom(other dataset) bool {
	switch {
	case d.id != "" && other.id != "":
		return d.id != other.id
	case d.name != "" && other.name != "":
		return d.name != other.name
	}
	return false
}

// String names the dataset as a message shows it: `"support-qa" (ID
// ds-support-qa)`, or whichever of the two is known.
func (d dataset) String() string {
	switch {
	case d.name != "" && d.id != "":
		return fmt.Sprintf("%q (ID %s)", d.name, d.id)
	case d.name != "":
		return fmt.Sprintf("%q", d.name)
	case d.id != "":
		return "ID " + d.id
	}
	return "an unknown dataset"
}

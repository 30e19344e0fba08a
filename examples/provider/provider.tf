terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

# The keys, project and server are best left to the environment. HoneyHive now
# recommends a fine-grained data-plane key with the project's ID (both under
# Settings > Project > API Keys > Data Plane in HoneyHive):
#   export HH_DATA_PLANE_API_KEY=hh_fgdp_...                   # a key that may read the project's runs
#   export HH_PROJECT_ID=...                                   # the project whose runs are read
#   export HH_DATA_PLANE_URL=https://api.dp1.us.honeyhive.ai   # optional, this is the default
# A classic project key still works, on routes HoneyHive has deprecated:
#   export HH_PROJECT_API_KEY=hh_ro_...                        # a read-only project key
provider "honeyhive" {}

# Or set them explicitly, along with the HTTP behaviour:
provider "honeyhive" {
  alias              = "dedicated"
  server_url         = "https://api.acme.us.honeyhive.ai"
  data_plane_api_key = var.honeyhive_data_plane_api_key
  project_id         = var.honeyhive_project_id
  request_timeout    = "2m" # per attempt; large runs take seconds to compute
  max_retries        = 6    # on connection errors, 429 and 5xx
}

variable "honeyhive_data_plane_api_key" {
  type      = string
  sensitive = true
}

variable "honeyhive_project_id" {
  type = string
}

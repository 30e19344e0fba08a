terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive", version = "~> 0.1" }
  }
}

# The key and server are best left to the environment:
#   export HH_PROJECT_API_KEY=hh_ro_...                        # required; a read-only project key
#   export HH_DATA_PLANE_URL=https://api.dp1.us.honeyhive.ai   # optional, this is the default
provider "honeyhive" {}

# Or set them explicitly, along with the HTTP behaviour:
provider "honeyhive" {
  alias           = "dedicated"
  server_url      = "https://api.acme.us.honeyhive.ai"
  api_key         = var.honeyhive_api_key
  request_timeout = "2m" # per attempt; large runs take seconds to compute
  max_retries     = 6    # on connection errors, 429 and 5xx
}

variable "honeyhive_api_key" {
  type      = string
  sensitive = true
}

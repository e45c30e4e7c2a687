# Argo Workflows: the controller and the server, with the CRDs of the
# WorkflowTemplates in k8s/base/pipelines (FAILURES.md D08). Workflows run in
# the argo namespace under the pipeline-runner service account that
# k8s/base/pipelines defines. Installed after the node groups (P3, P5).

resource "helm_release" "argo_workflows" {
  name             = "argo-workflows"
  namespace        = "argo"
  create_namespace = true
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-workflows"
  version          = var.chart_version
  wait             = true

  values = [yamlencode({
    crds = { install = true, keep = true }
    controller = {
      workflowNamespaces = ["argo"]
      nodeSelector       = { "llm-platform.io/node-group" = "general" }
    }
    server = {
      # Reached by port-forward; SSO is the next step for a shared UI.
      authModes    = ["server"]
      nodeSelector = { "llm-platform.io/node-group" = "general" }
    }
  })]

  # Requests count against the general node group (FAILURES.md D12, D30).
  set {
    name  = "controller.resources.requests.cpu"
    value = "100m"
  }

  set {
    name  = "controller.resources.requests.memory"
    value = "256Mi"
  }

  set {
    name  = "server.resources.requests.cpu"
    value = "50m"
  }

  set {
    name  = "server.resources.requests.memory"
    value = "128Mi"
  }
}

# KServe in RawDeployment mode (plain Deployments and Services, no Knative or
# Istio), its CRDs from their own chart, and cert-manager for its webhook
# certificates. The ServingRuntime and InferenceService in
# k8s/base/llm-serving need these CRDs (FAILURES.md D08). Installed after the
# node groups (P3, P5); each release waits for the one before.

resource "helm_release" "cert_manager" {
  name             = "cert-manager"
  namespace        = "cert-manager"
  create_namespace = true
  repository       = "https://charts.jetstack.io"
  chart            = "cert-manager"
  version          = var.cert_manager_version
  wait             = true

  values = [yamlencode({
    crds         = { enabled = true }
    nodeSelector = { "llm-platform.io/node-group" = "general" }
  })]

  # Requests count against the general node group (FAILURES.md D12, D30).
  set {
    name  = "resources.requests.cpu"
    value = "50m"
  }

  set {
    name  = "resources.requests.memory"
    value = "128Mi"
  }
}

resource "helm_release" "kserve_crd" {
  name             = "kserve-crd"
  namespace        = "kserve"
  create_namespace = true
  repository       = "oci://ghcr.io/kserve/charts"
  chart            = "kserve-crd"
  version          = var.kserve_version
  wait             = true

  depends_on = [helm_release.cert_manager]
}

resource "helm_release" "kserve" {
  name       = "kserve"
  namespace  = "kserve"
  repository = "oci://ghcr.io/kserve/charts"
  chart      = "kserve"
  version    = var.kserve_version
  wait       = true

  values = [yamlencode({
    kserve = {
      controller = {
        deploymentMode = "RawDeployment"
        # The platform's own Service (port 8000) and, with the ALB option, its
        # own Ingress front the model server.
        gateway      = { disableIngressCreation = true }
        nodeSelector = { "llm-platform.io/node-group" = "general" }
      }
    }
  })]

  set {
    name  = "kserve.controller.resources.requests.cpu"
    value = "100m"
  }

  set {
    name  = "kserve.controller.resources.requests.memory"
    value = "300Mi"
  }

  depends_on = [helm_release.kserve_crd]
}

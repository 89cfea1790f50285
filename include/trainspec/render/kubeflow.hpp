#pragma once
// Kubernetes manifests for the Kubeflow operators, written from the launch
// model (launch.hpp): TFJob (kubeflow.org/v1) for parameter-server and
// multi-worker jobs, MPIJob (kubeflow.org/v2beta1) for MPI (Horovod) jobs.
// The options are in kubeflow_options.hpp; docs/kubeflow.md says what each
// field makes the operator do.

#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/kubeflow_options.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The TFJob of a parameter-server job. Throws validation_error for every
/// option or job field the operator would reject (docs/kubeflow.md).
nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>& c, const kubeflow_options& o);

/// The TFJob of a multi-worker (MultiWorkerMirroredStrategy) job.
nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>& c, const kubeflow_options& o);

/// The MPIJob (v2beta1) of an MPI job. Throws validation_error as
/// tfjob_manifest() does, mpi_launch_error when the launch command cannot be
/// written.
nlohmann::ordered_json mpijob_manifest(const cluster<mpi>& c, const kubeflow_options& o);

/// The manifest of a planned job that a Kubeflow operator runs: the TFJob of
/// a ps or multi_worker job, the MPIJob of an mpi job; nullopt for a
/// single-node job, which no operator takes.
std::optional<nlohmann::ordered_json> kubeflow_manifest(const any_cluster& c, const kubeflow_options& o);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/mpijob_manifest.hpp>
#include <trainspec/detail/tfjob_manifest.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>& c, const kubeflow_options& o) {
    return detail::render_tfjob(c, o);
}
TRAINSPEC_INLINE nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>& c, const kubeflow_options& o) {
    return detail::render_tfjob(c, o);
}
TRAINSPEC_INLINE nlohmann::ordered_json mpijob_manifest(const cluster<mpi>& c, const kubeflow_options& o) {
    return detail::render_mpijob(c, o);
}
TRAINSPEC_INLINE std::optional<nlohmann::ordered_json> kubeflow_manifest(const any_cluster& c,
                                                                         const kubeflow_options& o) {
    if (const auto* mpi_job = std::get_if<cluster<mpi>>(&c)) return detail::render_mpijob(*mpi_job, o);
    if (const auto* ps_job = std::get_if<cluster<parameter_server>>(&c)) return detail::render_tfjob(*ps_job, o);
    if (const auto* workers = std::get_if<cluster<multi_worker>>(&c)) return detail::render_tfjob(*workers, o);
    return std::nullopt;
}
TRAINSPEC_END_NAMESPACE
#endif

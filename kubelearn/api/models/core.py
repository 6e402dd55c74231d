"""core/v1 kinds: Pod, Service, Node, Namespace, ConfigMap, Secret, PV, PVC, ...

One class per Go struct of ``staging/src/k8s.io/api/core/v1/types.go`` (same
name, fields in the same order, JSON names as field names). Everything a
course manifest or ``kubectl get -o yaml`` output may hold is typed; rarely
used corners (affinity, cloud volume plugins, DRA claims) are loose dicts.
"""
from __future__ import annotations

from typing import Annotated, Optional

from kubelearn.api.models._types import (BytesMap, GoType, Int32, Int64, IntOrString, Loose,
                                         MicroTime, Quantity, ResourceList, StrMap, Time, named)
from kubelearn.api.models.meta import K8sModel, LabelSelector, ObjectMeta

Affinity = Annotated[Loose, GoType("v1.Affinity")]
NodeSelector = Annotated[Loose, GoType("v1.NodeSelector")]


# --- references ------------------------------------------------------------------------------

class LocalObjectReference(K8sModel):
    name: Optional[str] = None


class ObjectReference(K8sModel):
    kind: Optional[str] = None
    namespace: Optional[str] = None
    name: Optional[str] = None
    uid: Optional[named("types.UID")] = None
    apiVersion: Optional[str] = None
    resourceVersion: Optional[str] = None
    fieldPath: Optional[str] = None


class TypedLocalObjectReference(K8sModel):
    apiGroup: Optional[str] = None
    kind: Optional[str] = None
    name: Optional[str] = None


class TypedObjectReference(K8sModel):
    apiGroup: Optional[str] = None
    kind: Optional[str] = None
    name: Optional[str] = None
    namespace: Optional[str] = None


class SecretReference(K8sModel):
    name: Optional[str] = None
    namespace: Optional[str] = None


# --- env -------------------------------------------------------------------------------------

class ObjectFieldSelector(K8sModel):
    apiVersion: Optional[str] = None
    fieldPath: Optional[str] = None


class ResourceFieldSelector(K8sModel):
    containerName: Optional[str] = None
    resource: Optional[str] = None
    divisor: Optional[Quantity] = None


class ConfigMapKeySelector(K8sModel):
    name: Optional[str] = None
    key: Optional[str] = None
    optional: Optional[bool] = None


class SecretKeySelector(K8sModel):
    name: Optional[str] = None
    key: Optional[str] = None
    optional: Optional[bool] = None


class EnvVarSource(K8sModel):
    fieldRef: Optional[ObjectFieldSelector] = None
    resourceFieldRef: Optional[ResourceFieldSelector] = None
    configMapKeyRef: Optional[ConfigMapKeySelector] = None
    secretKeyRef: Optional[SecretKeySelector] = None


class EnvVar(K8sModel):
    name: Optional[str] = None
    value: Optional[str] = None
    valueFrom: Optional[EnvVarSource] = None


class ConfigMapEnvSource(K8sModel):
    name: Optional[str] = None
    optional: Optional[bool] = None


class SecretEnvSource(K8sModel):
    name: Optional[str] = None
    optional: Optional[bool] = None


class EnvFromSource(K8sModel):
    prefix: Optional[str] = None
    configMapRef: Optional[ConfigMapEnvSource] = None
    secretRef: Optional[SecretEnvSource] = None


# --- containers ------------------------------------------------------------------------------

class ContainerPort(K8sModel):
    name: Optional[str] = None
    hostPort: Optional[Int32] = None
    containerPort: Optional[Int32] = None
    protocol: Optional[named("v1.Protocol")] = None
    hostIP: Optional[str] = None


class ResourceClaim(K8sModel):
    name: Optional[str] = None
    request: Optional[str] = None


class ResourceRequirements(K8sModel):
    limits: Optional[ResourceList] = None
    requests: Optional[ResourceList] = None
    claims: Optional[list[ResourceClaim]] = None


class ContainerResizePolicy(K8sModel):
    resourceName: Optional[named("v1.ResourceName")] = None
    restartPolicy: Optional[named("v1.ResourceResizeRestartPolicy")] = None


class VolumeMount(K8sModel):
    name: Optional[str] = None
    readOnly: Optional[bool] = None
    recursiveReadOnly: Optional[named("v1.RecursiveReadOnlyMode")] = None
    mountPath: Optional[str] = None
    subPath: Optional[str] = None
    mountPropagation: Optional[named("v1.MountPropagationMode")] = None
    subPathExpr: Optional[str] = None


class VolumeDevice(K8sModel):
    name: Optional[str] = None
    devicePath: Optional[str] = None


class ExecAction(K8sModel):
    command: Optional[list[str]] = None


class HTTPHeader(K8sModel):
    name: Optional[str] = None
    value: Optional[str] = None


class HTTPGetAction(K8sModel):
    path: Optional[str] = None
    port: Optional[IntOrString] = None
    host: Optional[str] = None
    scheme: Optional[named("v1.URIScheme")] = None
    httpHeaders: Optional[list[HTTPHeader]] = None


class TCPSocketAction(K8sModel):
    port: Optional[IntOrString] = None
    host: Optional[str] = None


class GRPCAction(K8sModel):
    port: Optional[Int32] = None
    service: Optional[str] = None


class SleepAction(K8sModel):
    seconds: Optional[Int64] = None


class Probe(K8sModel):
    # ProbeHandler (inline)
    exec: Optional[ExecAction] = None
    httpGet: Optional[HTTPGetAction] = None
    tcpSocket: Optional[TCPSocketAction] = None
    grpc: Optional[GRPCAction] = None
    initialDelaySeconds: Optional[Int32] = None
    timeoutSeconds: Optional[Int32] = None
    periodSeconds: Optional[Int32] = None
    successThreshold: Optional[Int32] = None
    failureThreshold: Optional[Int32] = None
    terminationGracePeriodSeconds: Optional[Int64] = None


class LifecycleHandler(K8sModel):
    exec: Optional[ExecAction] = None
    httpGet: Optional[HTTPGetAction] = None
    tcpSocket: Optional[TCPSocketAction] = None
    sleep: Optional[SleepAction] = None


class Lifecycle(K8sModel):
    postStart: Optional[LifecycleHandler] = None
    preStop: Optional[LifecycleHandler] = None


class Capabilities(K8sModel):
    add: Optional[list[named("v1.Capability")]] = None
    drop: Optional[list[named("v1.Capability")]] = None


class SELinuxOptions(K8sModel):
    user: Optional[str] = None
    role: Optional[str] = None
    type: Optional[str] = None
    level: Optional[str] = None


class WindowsSecurityContextOptions(K8sModel):
    gmsaCredentialSpecName: Optional[str] = None
    gmsaCredentialSpec: Optional[str] = None
    runAsUserName: Optional[str] = None
    hostProcess: Optional[bool] = None


class SeccompProfile(K8sModel):
    type: Optional[named("v1.SeccompProfileType")] = None
    localhostProfile: Optional[str] = None


class AppArmorProfile(K8sModel):
    type: Optional[named("v1.AppArmorProfileType")] = None
    localhostProfile: Optional[str] = None


class SecurityContext(K8sModel):
    capabilities: Optional[Capabilities] = None
    privileged: Optional[bool] = None
    seLinuxOptions: Optional[SELinuxOptions] = None
    windowsOptions: Optional[WindowsSecurityContextOptions] = None
    runAsUser: Optional[Int64] = None
    runAsGroup: Optional[Int64] = None
    runAsNonRoot: Optional[bool] = None
    readOnlyRootFilesystem: Optional[bool] = None
    allowPrivilegeEscalation: Optional[bool] = None
    procMount: Optional[named("v1.ProcMountType")] = None
    seccompProfile: Optional[SeccompProfile] = None
    appArmorProfile: Optional[AppArmorProfile] = None


class Container(K8sModel):
    name: Optional[str] = None
    image: Optional[str] = None
    command: Optional[list[str]] = None
    args: Optional[list[str]] = None
    workingDir: Optional[str] = None
    ports: Optional[list[ContainerPort]] = None
    envFrom: Optional[list[EnvFromSource]] = None
    env: Optional[list[EnvVar]] = None
    resources: Optional[ResourceRequirements] = None
    resizePolicy: Optional[list[ContainerResizePolicy]] = None
    restartPolicy: Optional[named("v1.ContainerRestartPolicy")] = None
    volumeMounts: Optional[list[VolumeMount]] = None
    volumeDevices: Optional[list[VolumeDevice]] = None
    livenessProbe: Optional[Probe] = None
    readinessProbe: Optional[Probe] = None
    startupProbe: Optional[Probe] = None
    lifecycle: Optional[Lifecycle] = None
    terminationMessagePath: Optional[str] = None
    terminationMessagePolicy: Optional[named("v1.TerminationMessagePolicy")] = None
    imagePullPolicy: Optional[named("v1.PullPolicy")] = None
    securityContext: Optional[SecurityContext] = None
    stdin: Optional[bool] = None
    stdinOnce: Optional[bool] = None
    tty: Optional[bool] = None


class EphemeralContainer(Container):
    targetContainerName: Optional[str] = None


# --- volumes ---------------------------------------------------------------------------------

class HostPathVolumeSource(K8sModel):
    path: Optional[str] = None
    type: Optional[named("v1.HostPathType")] = None


class EmptyDirVolumeSource(K8sModel):
    medium: Optional[named("v1.StorageMedium")] = None
    sizeLimit: Optional[Quantity] = None


class AWSElasticBlockStoreVolumeSource(K8sModel):
    volumeID: Optional[str] = None
    fsType: Optional[str] = None
    partition: Optional[Int32] = None
    readOnly: Optional[bool] = None


class GCEPersistentDiskVolumeSource(K8sModel):
    pdName: Optional[str] = None
    fsType: Optional[str] = None
    partition: Optional[Int32] = None
    readOnly: Optional[bool] = None


class KeyToPath(K8sModel):
    key: Optional[str] = None
    path: Optional[str] = None
    mode: Optional[Int32] = None


class SecretVolumeSource(K8sModel):
    secretName: Optional[str] = None
    items: Optional[list[KeyToPath]] = None
    defaultMode: Optional[Int32] = None
    optional: Optional[bool] = None


class NFSVolumeSource(K8sModel):
    server: Optional[str] = None
    path: Optional[str] = None
    readOnly: Optional[bool] = None


class PersistentVolumeClaimVolumeSource(K8sModel):
    claimName: Optional[str] = None
    readOnly: Optional[bool] = None


class ConfigMapVolumeSource(K8sModel):
    name: Optional[str] = None
    items: Optional[list[KeyToPath]] = None
    defaultMode: Optional[Int32] = None
    optional: Optional[bool] = None


class DownwardAPIVolumeFile(K8sModel):
    path: Optional[str] = None
    fieldRef: Optional[ObjectFieldSelector] = None
    resourceFieldRef: Optional[ResourceFieldSelector] = None
    mode: Optional[Int32] = None


class DownwardAPIVolumeSource(K8sModel):
    items: Optional[list[DownwardAPIVolumeFile]] = None
    defaultMode: Optional[Int32] = None


class DownwardAPIProjection(K8sModel):
    items: Optional[list[DownwardAPIVolumeFile]] = None


class SecretProjection(K8sModel):
    name: Optional[str] = None
    items: Optional[list[KeyToPath]] = None
    optional: Optional[bool] = None


class ConfigMapProjection(K8sModel):
    name: Optional[str] = None
    items: Optional[list[KeyToPath]] = None
    optional: Optional[bool] = None


class ServiceAccountTokenProjection(K8sModel):
    audience: Optional[str] = None
    expirationSeconds: Optional[Int64] = None
    path: Optional[str] = None


class VolumeProjection(K8sModel):
    secret: Optional[SecretProjection] = None
    downwardAPI: Optional[DownwardAPIProjection] = None
    configMap: Optional[ConfigMapProjection] = None
    serviceAccountToken: Optional[ServiceAccountTokenProjection] = None
    clusterTrustBundle: Optional[Loose] = None


class ProjectedVolumeSource(K8sModel):
    sources: Optional[list[VolumeProjection]] = None
    defaultMode: Optional[Int32] = None


class CSIVolumeSource(K8sModel):
    driver: Optional[str] = None
    readOnly: Optional[bool] = None
    fsType: Optional[str] = None
    volumeAttributes: Optional[StrMap] = None
    nodePublishSecretRef: Optional[LocalObjectReference] = None


class Volume(K8sModel):
    name: Optional[str] = None
    # VolumeSource (inline), in Go order
    hostPath: Optional[HostPathVolumeSource] = None
    emptyDir: Optional[EmptyDirVolumeSource] = None
    gcePersistentDisk: Optional[GCEPersistentDiskVolumeSource] = None
    awsElasticBlockStore: Optional[AWSElasticBlockStoreVolumeSource] = None
    gitRepo: Optional[Loose] = None
    secret: Optional[SecretVolumeSource] = None
    nfs: Optional[NFSVolumeSource] = None
    iscsi: Optional[Loose] = None
    glusterfs: Optional[Loose] = None
    persistentVolumeClaim: Optional[PersistentVolumeClaimVolumeSource] = None
    rbd: Optional[Loose] = None
    flexVolume: Optional[Loose] = None
    cinder: Optional[Loose] = None
    cephfs: Optional[Loose] = None
    flocker: Optional[Loose] = None
    downwardAPI: Optional[DownwardAPIVolumeSource] = None
    fc: Optional[Loose] = None
    azureFile: Optional[Loose] = None
    configMap: Optional[ConfigMapVolumeSource] = None
    vsphereVolume: Optional[Loose] = None
    quobyte: Optional[Loose] = None
    azureDisk: Optional[Loose] = None
    photonPersistentDisk: Optional[Loose] = None
    projected: Optional[ProjectedVolumeSource] = None
    portworxVolume: Optional[Loose] = None
    scaleIO: Optional[Loose] = None
    storageos: Optional[Loose] = None
    csi: Optional[CSIVolumeSource] = None
    ephemeral: Optional[Loose] = None
    image: Optional[Loose] = None


# --- pod spec --------------------------------------------------------------------------------

class Toleration(K8sModel):
    key: Optional[str] = None
    operator: Optional[named("v1.TolerationOperator")] = None
    value: Optional[str] = None
    effect: Optional[named("v1.TaintEffect")] = None
    tolerationSeconds: Optional[Int64] = None


class Sysctl(K8sModel):
    name: Optional[str] = None
    value: Optional[str] = None


class PodSecurityContext(K8sModel):
    seLinuxOptions: Optional[SELinuxOptions] = None
    windowsOptions: Optional[WindowsSecurityContextOptions] = None
    runAsUser: Optional[Int64] = None
    runAsGroup: Optional[Int64] = None
    runAsNonRoot: Optional[bool] = None
    supplementalGroups: Optional[list[Int64]] = None
    supplementalGroupsPolicy: Optional[named("v1.SupplementalGroupsPolicy")] = None
    fsGroup: Optional[Int64] = None
    sysctls: Optional[list[Sysctl]] = None
    fsGroupChangePolicy: Optional[named("v1.PodFSGroupChangePolicy")] = None
    seccompProfile: Optional[SeccompProfile] = None
    appArmorProfile: Optional[AppArmorProfile] = None
    seLinuxChangePolicy: Optional[named("v1.PodSELinuxChangePolicy")] = None


class HostAlias(K8sModel):
    ip: Optional[str] = None
    hostnames: Optional[list[str]] = None


class PodDNSConfigOption(K8sModel):
    name: Optional[str] = None
    value: Optional[str] = None


class PodDNSConfig(K8sModel):
    nameservers: Optional[list[str]] = None
    searches: Optional[list[str]] = None
    options: Optional[list[PodDNSConfigOption]] = None


class PodReadinessGate(K8sModel):
    conditionType: Optional[named("v1.PodConditionType")] = None


class PodOS(K8sModel):
    name: Optional[named("v1.OSName")] = None


class PodSchedulingGate(K8sModel):
    name: Optional[str] = None


class PodSpec(K8sModel):
    volumes: Optional[list[Volume]] = None
    initContainers: Optional[list[Container]] = None
    containers: Optional[list[Container]] = None
    ephemeralContainers: Optional[list[EphemeralContainer]] = None
    restartPolicy: Optional[named("v1.RestartPolicy")] = None
    terminationGracePeriodSeconds: Optional[Int64] = None
    activeDeadlineSeconds: Optional[Int64] = None
    dnsPolicy: Optional[named("v1.DNSPolicy")] = None
    nodeSelector: Optional[StrMap] = None
    serviceAccountName: Optional[str] = None
    serviceAccount: Optional[str] = None
    automountServiceAccountToken: Optional[bool] = None
    nodeName: Optional[str] = None
    hostNetwork: Optional[bool] = None
    hostPID: Optional[bool] = None
    hostIPC: Optional[bool] = None
    shareProcessNamespace: Optional[bool] = None
    securityContext: Optional[PodSecurityContext] = None
    imagePullSecrets: Optional[list[LocalObjectReference]] = None
    hostname: Optional[str] = None
    subdomain: Optional[str] = None
    affinity: Optional[Affinity] = None
    schedulerName: Optional[str] = None
    tolerations: Optional[list[Toleration]] = None
    hostAliases: Optional[list[HostAlias]] = None
    priorityClassName: Optional[str] = None
    priority: Optional[Int32] = None
    dnsConfig: Optional[PodDNSConfig] = None
    readinessGates: Optional[list[PodReadinessGate]] = None
    runtimeClassName: Optional[str] = None
    enableServiceLinks: Optional[bool] = None
    preemptionPolicy: Optional[named("v1.PreemptionPolicy")] = None
    overhead: Optional[ResourceList] = None
    topologySpreadConstraints: Optional[list[Loose]] = None
    setHostnameAsFQDN: Optional[bool] = None
    os: Optional[PodOS] = None
    hostUsers: Optional[bool] = None
    schedulingGates: Optional[list[PodSchedulingGate]] = None
    resourceClaims: Optional[list[Loose]] = None
    resources: Optional[ResourceRequirements] = None


class PodTemplateSpec(K8sModel):
    metadata: Optional[ObjectMeta] = None
    spec: Optional[PodSpec] = None


# --- pod status ------------------------------------------------------------------------------

class PodCondition(K8sModel):
    type: Optional[named("v1.PodConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastProbeTime: Optional[Time] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class ContainerStateWaiting(K8sModel):
    reason: Optional[str] = None
    message: Optional[str] = None


class ContainerStateRunning(K8sModel):
    startedAt: Optional[Time] = None


class ContainerStateTerminated(K8sModel):
    exitCode: Optional[Int32] = None
    signal: Optional[Int32] = None
    reason: Optional[str] = None
    message: Optional[str] = None
    startedAt: Optional[Time] = None
    finishedAt: Optional[Time] = None
    containerID: Optional[str] = None


class ContainerState(K8sModel):
    waiting: Optional[ContainerStateWaiting] = None
    running: Optional[ContainerStateRunning] = None
    terminated: Optional[ContainerStateTerminated] = None


class VolumeMountStatus(K8sModel):
    name: Optional[str] = None
    mountPath: Optional[str] = None
    readOnly: Optional[bool] = None
    recursiveReadOnly: Optional[named("v1.RecursiveReadOnlyMode")] = None


class ContainerStatus(K8sModel):
    name: Optional[str] = None
    state: Optional[ContainerState] = None
    lastState: Optional[ContainerState] = None
    ready: Optional[bool] = None
    restartCount: Optional[Int32] = None
    image: Optional[str] = None
    imageID: Optional[str] = None
    containerID: Optional[str] = None
    started: Optional[bool] = None
    allocatedResources: Optional[ResourceList] = None
    resources: Optional[ResourceRequirements] = None
    volumeMounts: Optional[list[VolumeMountStatus]] = None
    user: Optional[Loose] = None
    allocatedResourcesStatus: Optional[list[Loose]] = None


class HostIP(K8sModel):
    ip: Optional[str] = None


class PodIP(K8sModel):
    ip: Optional[str] = None


class PodStatus(K8sModel):
    phase: Optional[named("v1.PodPhase")] = None
    conditions: Optional[list[PodCondition]] = None
    message: Optional[str] = None
    reason: Optional[str] = None
    nominatedNodeName: Optional[str] = None
    hostIP: Optional[str] = None
    hostIPs: Optional[list[HostIP]] = None
    podIP: Optional[str] = None
    podIPs: Optional[list[PodIP]] = None
    startTime: Optional[Time] = None
    initContainerStatuses: Optional[list[ContainerStatus]] = None
    containerStatuses: Optional[list[ContainerStatus]] = None
    qosClass: Optional[named("v1.PodQOSClass")] = None
    ephemeralContainerStatuses: Optional[list[ContainerStatus]] = None
    resize: Optional[named("v1.PodResizeStatus")] = None
    resourceClaimStatuses: Optional[list[Loose]] = None


class Pod(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[PodSpec] = None
    status: Optional[PodStatus] = None


# --- services and endpoints ------------------------------------------------------------------

class ServicePort(K8sModel):
    name: Optional[str] = None
    protocol: Optional[named("v1.Protocol")] = None
    appProtocol: Optional[str] = None
    port: Optional[Int32] = None
    targetPort: Optional[IntOrString] = None
    nodePort: Optional[Int32] = None


class ClientIPConfig(K8sModel):
    timeoutSeconds: Optional[Int32] = None


class SessionAffinityConfig(K8sModel):
    clientIP: Optional[ClientIPConfig] = None


class ServiceSpec(K8sModel):
    ports: Optional[list[ServicePort]] = None
    selector: Optional[StrMap] = None
    clusterIP: Optional[str] = None
    clusterIPs: Optional[list[str]] = None
    type: Optional[named("v1.ServiceType")] = None
    externalIPs: Optional[list[str]] = None
    sessionAffinity: Optional[named("v1.ServiceAffinity")] = None
    loadBalancerIP: Optional[str] = None
    loadBalancerSourceRanges: Optional[list[str]] = None
    externalName: Optional[str] = None
    externalTrafficPolicy: Optional[named("v1.ServiceExternalTrafficPolicy")] = None
    healthCheckNodePort: Optional[Int32] = None
    publishNotReadyAddresses: Optional[bool] = None
    sessionAffinityConfig: Optional[SessionAffinityConfig] = None
    ipFamilies: Optional[list[named("v1.IPFamily")]] = None
    ipFamilyPolicy: Optional[named("v1.IPFamilyPolicy")] = None
    allocateLoadBalancerNodePorts: Optional[bool] = None
    loadBalancerClass: Optional[str] = None
    internalTrafficPolicy: Optional[named("v1.ServiceInternalTrafficPolicy")] = None
    trafficDistribution: Optional[str] = None


class PortStatus(K8sModel):
    port: Optional[Int32] = None
    protocol: Optional[named("v1.Protocol")] = None
    error: Optional[str] = None


class LoadBalancerIngress(K8sModel):
    ip: Optional[str] = None
    hostname: Optional[str] = None
    ipMode: Optional[named("v1.LoadBalancerIPMode")] = None
    ports: Optional[list[PortStatus]] = None


class LoadBalancerStatus(K8sModel):
    ingress: Optional[list[LoadBalancerIngress]] = None


class ServiceStatus(K8sModel):
    loadBalancer: Optional[LoadBalancerStatus] = None
    conditions: Optional[list[Loose]] = None


class Service(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[ServiceSpec] = None
    status: Optional[ServiceStatus] = None


class EndpointAddress(K8sModel):
    ip: Optional[str] = None
    hostname: Optional[str] = None
    nodeName: Optional[str] = None
    targetRef: Optional[ObjectReference] = None


class EndpointPort(K8sModel):
    name: Optional[str] = None
    port: Optional[Int32] = None
    protocol: Optional[named("v1.Protocol")] = None
    appProtocol: Optional[str] = None


class EndpointSubset(K8sModel):
    addresses: Optional[list[EndpointAddress]] = None
    notReadyAddresses: Optional[list[EndpointAddress]] = None
    ports: Optional[list[EndpointPort]] = None


class Endpoints(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    subsets: Optional[list[EndpointSubset]] = None


# --- namespaces, nodes -----------------------------------------------------------------------

class NamespaceSpec(K8sModel):
    finalizers: Optional[list[named("v1.FinalizerName")]] = None


class NamespaceCondition(K8sModel):
    type: Optional[named("v1.NamespaceConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class NamespaceStatus(K8sModel):
    phase: Optional[named("v1.NamespacePhase")] = None
    conditions: Optional[list[NamespaceCondition]] = None


class Namespace(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[NamespaceSpec] = None
    status: Optional[NamespaceStatus] = None


class Taint(K8sModel):
    key: Optional[str] = None
    value: Optional[str] = None
    effect: Optional[named("v1.TaintEffect")] = None
    timeAdded: Optional[Time] = None


class NodeSpec(K8sModel):
    podCIDR: Optional[str] = None
    podCIDRs: Optional[list[str]] = None
    providerID: Optional[str] = None
    unschedulable: Optional[bool] = None
    taints: Optional[list[Taint]] = None
    configSource: Optional[Loose] = None
    externalID: Optional[str] = None


class NodeCondition(K8sModel):
    type: Optional[named("v1.NodeConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastHeartbeatTime: Optional[Time] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class NodeAddress(K8sModel):
    type: Optional[named("v1.NodeAddressType")] = None
    address: Optional[str] = None


class DaemonEndpoint(K8sModel):
    Port: Optional[Int32] = None


class NodeDaemonEndpoints(K8sModel):
    kubeletEndpoint: Optional[DaemonEndpoint] = None


class NodeSystemInfo(K8sModel):
    machineID: Optional[str] = None
    systemUUID: Optional[str] = None
    bootID: Optional[str] = None
    kernelVersion: Optional[str] = None
    osImage: Optional[str] = None
    containerRuntimeVersion: Optional[str] = None
    kubeletVersion: Optional[str] = None
    kubeProxyVersion: Optional[str] = None
    operatingSystem: Optional[str] = None
    architecture: Optional[str] = None
    swap: Optional[Loose] = None


class ContainerImage(K8sModel):
    names: Optional[list[str]] = None
    sizeBytes: Optional[Int64] = None


class NodeStatus(K8sModel):
    capacity: Optional[ResourceList] = None
    allocatable: Optional[ResourceList] = None
    phase: Optional[named("v1.NodePhase")] = None
    conditions: Optional[list[NodeCondition]] = None
    addresses: Optional[list[NodeAddress]] = None
    daemonEndpoints: Optional[NodeDaemonEndpoints] = None
    nodeInfo: Optional[NodeSystemInfo] = None
    images: Optional[list[ContainerImage]] = None
    volumesInUse: Optional[list[str]] = None
    volumesAttached: Optional[list[Loose]] = None
    config: Optional[Loose] = None
    runtimeHandlers: Optional[list[Loose]] = None
    features: Optional[Loose] = None


class Node(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[NodeSpec] = None
    status: Optional[NodeStatus] = None


# --- config ----------------------------------------------------------------------------------

class ConfigMap(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    immutable: Optional[bool] = None
    data: Optional[StrMap] = None
    binaryData: Optional[BytesMap] = None


class Secret(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    immutable: Optional[bool] = None
    data: Optional[BytesMap] = None
    stringData: Optional[StrMap] = None
    type: Optional[named("v1.SecretType")] = None


class ServiceAccount(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    secrets: Optional[list[ObjectReference]] = None
    imagePullSecrets: Optional[list[LocalObjectReference]] = None
    automountServiceAccountToken: Optional[bool] = None


# --- storage ---------------------------------------------------------------------------------

class CSIPersistentVolumeSource(K8sModel):
    driver: Optional[str] = None
    volumeHandle: Optional[str] = None
    readOnly: Optional[bool] = None
    fsType: Optional[str] = None
    volumeAttributes: Optional[StrMap] = None
    controllerPublishSecretRef: Optional[SecretReference] = None
    nodeStageSecretRef: Optional[SecretReference] = None
    nodePublishSecretRef: Optional[SecretReference] = None
    controllerExpandSecretRef: Optional[SecretReference] = None
    nodeExpandSecretRef: Optional[SecretReference] = None


class LocalVolumeSource(K8sModel):
    path: Optional[str] = None
    fsType: Optional[str] = None


class VolumeNodeAffinity(K8sModel):
    required: Optional[NodeSelector] = None


class PersistentVolumeSpec(K8sModel):
    capacity: Optional[ResourceList] = None
    # PersistentVolumeSource (inline), in Go order
    gcePersistentDisk: Optional[GCEPersistentDiskVolumeSource] = None
    awsElasticBlockStore: Optional[AWSElasticBlockStoreVolumeSource] = None
    hostPath: Optional[HostPathVolumeSource] = None
    glusterfs: Optional[Loose] = None
    nfs: Optional[NFSVolumeSource] = None
    rbd: Optional[Loose] = None
    iscsi: Optional[Loose] = None
    cinder: Optional[Loose] = None
    cephfs: Optional[Loose] = None
    fc: Optional[Loose] = None
    flocker: Optional[Loose] = None
    flexVolume: Optional[Loose] = None
    azureFile: Optional[Loose] = None
    vsphereVolume: Optional[Loose] = None
    quobyte: Optional[Loose] = None
    azureDisk: Optional[Loose] = None
    photonPersistentDisk: Optional[Loose] = None
    portworxVolume: Optional[Loose] = None
    scaleIO: Optional[Loose] = None
    local: Optional[LocalVolumeSource] = None
    storageos: Optional[Loose] = None
    csi: Optional[CSIPersistentVolumeSource] = None
    accessModes: Optional[list[named("v1.PersistentVolumeAccessMode")]] = None
    claimRef: Optional[ObjectReference] = None
    persistentVolumeReclaimPolicy: Optional[named("v1.PersistentVolumeReclaimPolicy")] = None
    storageClassName: Optional[str] = None
    mountOptions: Optional[list[str]] = None
    volumeMode: Optional[named("v1.PersistentVolumeMode")] = None
    nodeAffinity: Optional[VolumeNodeAffinity] = None
    volumeAttributesClassName: Optional[str] = None


class PersistentVolumeStatus(K8sModel):
    phase: Optional[named("v1.PersistentVolumePhase")] = None
    message: Optional[str] = None
    reason: Optional[str] = None
    lastPhaseTransitionTime: Optional[Time] = None


class PersistentVolume(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[PersistentVolumeSpec] = None
    status: Optional[PersistentVolumeStatus] = None


class VolumeResourceRequirements(K8sModel):
    limits: Optional[ResourceList] = None
    requests: Optional[ResourceList] = None


class PersistentVolumeClaimSpec(K8sModel):
    accessModes: Optional[list[named("v1.PersistentVolumeAccessMode")]] = None
    selector: Optional[LabelSelector] = None
    resources: Optional[VolumeResourceRequirements] = None
    volumeName: Optional[str] = None
    storageClassName: Optional[str] = None
    volumeMode: Optional[named("v1.PersistentVolumeMode")] = None
    dataSource: Optional[TypedLocalObjectReference] = None
    dataSourceRef: Optional[TypedObjectReference] = None
    volumeAttributesClassName: Optional[str] = None


class PersistentVolumeClaimCondition(K8sModel):
    type: Optional[named("v1.PersistentVolumeClaimConditionType")] = None
    status: Optional[named("v1.ConditionStatus")] = None
    lastProbeTime: Optional[Time] = None
    lastTransitionTime: Optional[Time] = None
    reason: Optional[str] = None
    message: Optional[str] = None


class PersistentVolumeClaimStatus(K8sModel):
    phase: Optional[named("v1.PersistentVolumeClaimPhase")] = None
    accessModes: Optional[list[named("v1.PersistentVolumeAccessMode")]] = None
    capacity: Optional[ResourceList] = None
    conditions: Optional[list[PersistentVolumeClaimCondition]] = None
    allocatedResources: Optional[ResourceList] = None
    allocatedResourceStatuses: Optional[StrMap] = None
    currentVolumeAttributesClassName: Optional[str] = None
    modifyVolumeStatus: Optional[Loose] = None


class PersistentVolumeClaim(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    spec: Optional[PersistentVolumeClaimSpec] = None
    status: Optional[PersistentVolumeClaimStatus] = None


# --- events ----------------------------------------------------------------------------------

class EventSource(K8sModel):
    component: Optional[str] = None
    host: Optional[str] = None


class EventSeries(K8sModel):
    count: Optional[Int32] = None
    lastObservedTime: Optional[MicroTime] = None


class Event(K8sModel):
    kind: Optional[str] = None
    apiVersion: Optional[str] = None
    metadata: Optional[ObjectMeta] = None
    involvedObject: Optional[ObjectReference] = None
    reason: Optional[str] = None
    message: Optional[str] = None
    source: Optional[EventSource] = None
    firstTimestamp: Optional[Time] = None
    lastTimestamp: Optional[Time] = None
    count: Optional[Int32] = None
    type: Optional[str] = None
    eventTime: Optional[MicroTime] = None
    series: Optional[EventSeries] = None
    action: Optional[str] = None
    related: Optional[ObjectReference] = None
    reportingComponent: Optional[str] = None
    reportingInstance: Optional[str] = None

package dev.presence.server.transport;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import dev.presence.server.fanout.Frame;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;

/**
 * Binds {@code presence.v1.PresenceService/Connect} with a response marshaller for pre-serialized frames and a
 * request marshaller that turns oversized and undecodable frames into errors the session can answer.
 * The schema descriptors of the generated stubs are kept so server reflection still describes the
 * service exactly.
 */
final class PresenceServiceBinding {
  private PresenceServiceBinding() {}

  static ServerServiceDefinition create(SessionServices services, CancelClassifier cancelClassifier) {
    MethodDescriptor<ConnectRequest, Frame> connect = PresenceServiceGrpc.getConnectMethod()
        .toBuilder(new RequestMarshaller(services.decoder), FrameMarshaller.INSTANCE)
        .build();
    ServiceDescriptor service = ServiceDescriptor.newBuilder(PresenceServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(PresenceServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(connect)
        .build();
    ServerCallHandler<ConnectRequest, Frame> handler =
        (call, headers) -> GrpcCall.start(call, headers, services, cancelClassifier);
    return ServerServiceDefinition.builder(service).addMethod(connect, handler).build();
  }
}
